/**
 * Our ONNX U-Net (libs/diffusion) against an independent plain-PyTorch SD 1.5 U-Net with FRC
 * (unet_reference.py) on the same seeded weights: the strongest check that the graph is SD 1.5's architecture.
 * Runs where Debian's python3-torch is installed; elsewhere the suite is skipped and says why.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OrtNoisePredictor, SafetensorsFile, writeSafetensors, type PredictorDims } from '@facex/diffusion';
import { benchCases, guidedImagesPerSecond, median, parseBenchOptions, timingTable } from './bench-grid';
import { createUNetSession } from './ort-unet';
import { summariseProfile } from './profile-summary';
import { buildSharedUNet, type SharedUNet } from './shared-unet-weights';
import { TorchUNetWorker, findTorchPython } from './torch-reference';

describe('bench:diffusion grid and formulas', () => {
  it('counts B/2 guided images per evaluation: batch 16 at 100 ms over 25 steps is 3.2 images/s', () => {
    expect(guidedImagesPerSecond(16, 100, 25)).toBeCloseTo(3.2, 10);
    expect(guidedImagesPerSecond(1, 1000, 25)).toBeCloseTo(0.02, 10);
  });

  it('defaults to the full tiny grid and refuses bad options naming the flag', () => {
    const options = parseBenchOptions({});
    expect(benchCases(options)).toHaveLength(10);
    expect(options).toMatchObject({ size: 'tiny', threads: 2, steps: 25, attentions: ['matmul'] });
    expect(parseBenchOptions({ size: 'sd15', batches: '1', resolutions: '256,512', runs: '1' })).toMatchObject({ batches: [1], resolutions: [256, 512], runs: 1 });
    expect(() => parseBenchOptions({ size: 'xl' })).toThrow(/--size/);
    expect(() => parseBenchOptions({ batches: '1,0' })).toThrow(/--batches/);
    expect(() => parseBenchOptions({ resolutions: '300' })).toThrow(/--resolutions/);
    expect(() => parseBenchOptions({ attention: 'flash' })).toThrow(/--attention/);
  });

  it('takes the median and puts the PyTorch / fastest-ORT ratio in the table', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const table = timingTable([{ resolution: 256, batch: 2, ms: { 'ORT matmul': 40, 'ORT contrib': 20, PyTorch: 60 } }], ['ORT matmul', 'ORT contrib', 'PyTorch'], 'PyTorch', 25, 8);
    expect(table.split('\n')[2]).toBe('| 256 | 32² | 2 | 40.0 | 20.0 | 60.0 | 1.00 | 2.00 | 0.67 | 3.00× |');
  });

  it('sums ORT kernel time per op type from a profile trace', () => {
    const event = (name: string, op: string, dur: number): object => ({ cat: 'Node', name: `${name}_kernel_time`, dur, args: { op_name: op } });
    const summary = summariseProfile([event('a', 'Conv', 3000), event('b', 'Conv', 1000), event('c', 'MatMul', 4000), { cat: 'Session', name: 'run', dur: 9e9 }], 2);
    expect(summary).toEqual([
      { opType: 'Conv', ms: 2, share: 0.5, nodes: 2 },
      { opType: 'MatMul', ms: 2, share: 0.5, nodes: 1 },
    ]);
  });
});

const torchPython = findTorchPython();
const describeWithTorch = torchPython.available ? describe : describe.skip;
const suiteName = torchPython.available ? `tiny U-Net: ONNX Runtime equals PyTorch ${torchPython.torchVersion}` : `tiny U-Net against PyTorch (skipped: ${torchPython.reason})`;

describeWithTorch(suiteName, () => {
  /** Tolerance: float32 with a different operation order; relative to the reference output's largest magnitude. */
  const RELATIVE_TOLERANCE = 1e-4;
  const dims: PredictorDims = { batch: 2, height: 16, width: 16, tokens: 17, contextDim: 64 };
  let dir: string;
  let unet: SharedUNet;
  let worker: TorchUNetWorker;
  let reference: Float32Array;
  const latents = Float32Array.from({ length: 2 * 4 * 16 * 16 }, (_, i) => Math.sin(0.37 * i) + 0.3 * Math.cos(1.3 * i));
  const timesteps = Float32Array.of(999, 10);
  const context = Float32Array.from({ length: 2 * 17 * 64 }, (_, i) => Math.cos(0.11 * i + 1));

  beforeAll(async () => {
    if (!torchPython.available) return;
    dir = mkdtempSync(join(tmpdir(), 'facex-unet-reference-'));
    unet = buildSharedUNet({ size: 'tiny', dir, seed: 11, attentions: ['matmul', 'contrib'] });
    worker = (await TorchUNetWorker.start(torchPython.python, unet.weightsPath, 2)).worker;
    const inputsPath = join(dir, 'inputs.safetensors');
    writeSafetensors(inputsPath, [
      { key: 'latents', shape: [2, 4, 16, 16], data: latents },
      { key: 'timesteps', shape: [2], data: timesteps },
      { key: 'context', shape: [2, 17, 64], data: context },
    ]);
    const outputPath = join(dir, 'noise.safetensors');
    await worker.run(inputsPath, outputPath);
    const file = SafetensorsFile.open(outputPath);
    reference = file.readFloat32('noise', [2, 4, 16, 16]);
    file.close();
  });

  afterAll(() => {
    worker?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the weights under SD 1.5 checkpoint keys plus the FRC keys, with a non-zero ZeroConv', () => {
    const file = SafetensorsFile.open(unet.weightsPath);
    try {
      expect(file.has('model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight')).toBe(true);
      expect(file.has('model.diffusion_model.output_blocks.1.2.conv.weight')).toBe(true);
      const zeroConv = file.readFloat32('frc.middle_block.1.transformer_blocks.0.zero_conv.weight', [64, 64]);
      expect(zeroConv.some((v) => v !== 0)).toBe(true);
    } finally {
      file.close();
    }
  });

  it.each(['matmul', 'contrib'] as const)('%s attention: max |ORT − PyTorch| ≤ 1e-4 × max |PyTorch|', async (attention) => {
    const session = await createUNetSession(unet.modelPaths[attention] as string, 2);
    try {
      const noise = await new OrtNoisePredictor(session).predict(latents, timesteps, context, dims);
      let range = 0;
      let worst = 0;
      for (let i = 0; i < reference.length; i++) {
        range = Math.max(range, Math.abs(reference[i] as number));
        worst = Math.max(worst, Math.abs((noise[i] as number) - (reference[i] as number)));
      }
      expect(range).toBeGreaterThan(0.1);
      expect(worst).toBeLessThanOrEqual(RELATIVE_TOLERANCE * range);
    } finally {
      await session.release();
    }
  });
});
