import { summariseProfile } from './profile-summary';

describe('summariseProfile', () => {
  const kernel = (name: string, op: string, dur: number): object => ({ cat: 'Node', name: `${name}_kernel_time`, dur, args: { op_name: op } });
  const gpu = (node: string, op: string, program: string, dur: number): object => ({ cat: 'Api', name: `${node}&${op}&${program}`, dur });

  it('sums ORT kernel time per op type from a CPU profile trace', () => {
    const summary = summariseProfile(
      [kernel('a', 'Conv', 3000), kernel('b', 'Conv', 1000), kernel('c', 'MatMul', 4000), { cat: 'Session', name: 'run', dur: 9e9 }],
      2,
    );
    expect(summary).toEqual({
      clock: 'kernel wall time',
      times: [
        { opType: 'Conv', ms: 2, share: 0.5, nodes: 2 },
        { opType: 'MatMul', ms: 2, share: 0.5, nodes: 1 },
      ],
    });
  });

  it('prefers WebGPU timestamp-query events (GPU time) over the dispatch-only kernel events', () => {
    const events = [
      kernel('norm', 'InstanceNormalization', 50_000),
      gpu('norm', 'InstanceNormalization', 'ComputeChannelScaleShift', 1000),
      gpu('norm', 'InstanceNormalization', 'InstanceNorm', 1000),
      gpu('attn', 'MultiHeadAttention', 'FlashAttention', 6000),
    ];
    expect(summariseProfile(events, 1)).toEqual({
      clock: 'GPU timestamp queries',
      times: [
        { opType: 'MultiHeadAttention', ms: 6, share: 0.75, nodes: 1 },
        { opType: 'InstanceNormalization', ms: 2, share: 0.25, nodes: 1 },
      ],
    });
  });
});
