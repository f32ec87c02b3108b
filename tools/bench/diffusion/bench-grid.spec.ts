import { isFacexError } from '@facex/contracts';
import {
  benchCases,
  estimateCaseMs,
  fitsBudget,
  guidedImagesPerSecond,
  jobsMaxBatch,
  median,
  ortLabel,
  parseBenchOptions,
  relativeMaxDifference,
  timingTable,
  torchDtype,
  torchLabel,
} from './bench-grid';

describe('bench:diffusion grid and formulas', () => {
  it('counts B/2 guided images per evaluation: batch 16 at 100 ms over 25 steps is 3.2 images/s', () => {
    expect(guidedImagesPerSecond(16, 100, 25)).toBeCloseTo(3.2, 10);
    expect(guidedImagesPerSecond(1, 1000, 25)).toBeCloseTo(0.02, 10);
  });

  it('defaults to the full tiny grid on the CPU in fp32, without the jobs comparison', () => {
    const options = parseBenchOptions({});
    expect(benchCases(options)).toHaveLength(10);
    expect(options).toMatchObject({
      size: 'tiny',
      threads: 2,
      steps: 25,
      attentions: ['matmul'],
      provider: 'cpu',
      dtype: 'fp32',
      torchDevice: 'cpu',
      jobs: null,
      budgetSeconds: null,
      workDir: null,
    });
    expect(parseBenchOptions({ size: 'sd15', batches: '1', resolutions: '256,512', runs: '1' })).toMatchObject({
      batches: [1],
      resolutions: [256, 512],
      runs: 1,
    });
  });

  it('accepts zero warm-ups and seed 0', () => {
    expect(parseBenchOptions({ warmup: '0', seed: '0' })).toMatchObject({ warmup: 0, seed: 0 });
  });

  it('reads the GPU options: provider, dtype, torch device, budget and work directory', () => {
    const options = parseBenchOptions({
      provider: 'webgpu',
      dtype: 'fp16',
      'torch-device': 'cuda',
      'budget-s': '400',
      'work-dir': 'tmp/x',
      attention: 'contrib',
    });
    expect(options).toMatchObject({ provider: 'webgpu', dtype: 'fp16', torchDevice: 'cuda', budgetSeconds: 400, workDir: 'tmp/x', attentions: ['contrib'] });
    expect(ortLabel(options, 'contrib')).toBe('ORT webgpu fp16 contrib');
    expect(torchLabel(options)).toBe('PyTorch cuda fp16');
  });

  it('defaults the jobs comparison to maxBatch 2 × jobs, the worker sampler and wait, guidance on', () => {
    expect(parseBenchOptions({ jobs: '8' }).jobs).toEqual({ jobs: 8, maxBatch: 16, maxWaitMs: 10, sampler: 'dpm-solver++-2m', guidance: 7.5 });
    expect(parseBenchOptions({ jobs: '8', 'max-batch': '8', sampler: 'ddim', guidance: '5', 'max-wait-ms': '0' }).jobs).toEqual({
      jobs: 8,
      maxBatch: 8,
      maxWaitMs: 0,
      sampler: 'ddim',
      guidance: 5,
    });
  });

  it.each([
    [{ size: 'xl' }, '--size'],
    [{ batches: '1,0' }, '--batches'],
    [{ resolutions: '300' }, '--resolutions'],
    [{ attention: 'flash' }, '--attention'],
    [{ provider: 'metal' }, '--provider'],
    [{ dtype: 'bf16' }, '--dtype'],
    [{ 'torch-device': 'mps' }, '--torch-device'],
    [{ jobs: '0' }, '--jobs'],
    [{ jobs: '8', 'max-batch': '1' }, '--max-batch'],
    [{ jobs: '8', guidance: '1' }, '--guidance'],
    [{ jobs: '8', sampler: 'heun' }, '--sampler'],
    [{ sampler: 'ddim' }, '--sampler'],
    [{ 'budget-s': '-5' }, '--budget-s'],
    [{ warmup: '1.5' }, '--warmup'],
  ])('refuses %j with a typed error naming %s', (raw, flag) => {
    let caught: unknown;
    try {
      parseBenchOptions(raw);
    } catch (error) {
      caught = error;
    }
    expect(isFacexError(caught)).toBe(true);
    expect((caught as Error).message).toContain(flag);
  });

  it('runs PyTorch in fp16 only on CUDA', () => {
    expect(torchDtype('fp16', 'cuda')).toBe('fp16');
    expect(torchDtype('fp16', 'cpu')).toBe('fp32');
    expect(torchDtype('fp32', 'cuda')).toBe('fp32');
  });

  it('takes the median and puts the PyTorch / fastest-ORT ratio in the table', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const table = timingTable(
      [{ resolution: 256, batch: 2, ms: { 'ORT matmul': 40, 'ORT contrib': 20, PyTorch: 60 } }],
      ['ORT matmul', 'ORT contrib', 'PyTorch'],
      'PyTorch',
      25,
      8,
    );
    expect(table.split('\n')[0]).toBe(
      '| px | latent | batch | ORT matmul ms/eval | ORT contrib ms/eval | PyTorch ms/eval | ORT matmul img/s | ORT contrib img/s | PyTorch img/s | speed-up vs PyTorch |',
    );
    expect(table.split('\n')[2]).toBe('| 256 | 32² | 2 | 40.0 | 20.0 | 60.0 | 1.00 | 2.00 | 0.67 | 3.00× |');
  });

  it('starts work only when its estimate ends within the budget', () => {
    expect(fitsBudget(1_000_000, 1_000_000, null)).toBe(true);
    expect(fitsBudget(300_000, 90_000, 400)).toBe(true);
    expect(fitsBudget(300_000, 110_000, 400)).toBe(false);
    expect(estimateCaseMs(undefined, 16)).toBe(0);
    expect(estimateCaseMs({ batch: 4, wallMs: 1000 }, 8)).toBe(2000);
  });

  it('lowers the jobs maxBatch below the smallest batch the grid failed at, or gives up without a batch of 2', () => {
    expect(jobsMaxBatch(16, [1, 2, 4, 8, 16], [])).toBe(16);
    expect(jobsMaxBatch(16, [1, 2, 4, 8], [16])).toBe(8);
    expect(jobsMaxBatch(16, [1, 2], [8, 16])).toBe(2);
    expect(jobsMaxBatch(8, [1, 2, 4, 8], [16])).toBe(8);
    expect(jobsMaxBatch(16, [1], [2, 4])).toBeNull();
  });

  it('measures the largest difference relative to the reference range', () => {
    expect(relativeMaxDifference(Float32Array.of(1, 2.5, -4), Float32Array.of(1, 2, -4))).toBeCloseTo(0.125, 10);
    expect(() => relativeMaxDifference(Float32Array.of(1), Float32Array.of(1, 2))).toThrow(RangeError);
  });
});
