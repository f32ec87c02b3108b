/**
 * Our ONNX U-Net (libs/diffusion) against the PyTorch SD 1.5 U-Net with FRC that training/ trains
 * (facex_train.model, run by unet_reference.py) on the same seeded weights: the graph is SD 1.5's architecture,
 * and the graph serving runs computes what training optimised.
 * Runs where Debian's python3-torch is installed; elsewhere the suite is skipped and says why.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OrtNoisePredictor, SafetensorsFile, writeSafetensors, type PredictorDims } from '@facex/diffusion';
import { relativeMaxDifference } from './bench-grid';
import { createOrtSession } from './ort-unet';
import { buildSharedUNet, type SharedUNet } from './shared-unet-weights';
import { TorchUNetWorker, findTorchPython } from './torch-reference';

const torchPython = findTorchPython();
const describeWithTorch = torchPython.available ? describe : describe.skip;
const suiteName = torchPython.available
  ? `tiny U-Net: ONNX Runtime equals PyTorch ${torchPython.torchVersion}`
  : `tiny U-Net against PyTorch (skipped: ${torchPython.reason})`;

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
    worker = (await TorchUNetWorker.start(torchPython.python, unet.weightsPath, { threads: 2, device: 'cpu', dtype: 'fp32' })).worker;
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
    const session = await createOrtSession(unet.modelPaths[attention] as string, { provider: 'cpu', threads: 2 });
    try {
      const noise = await new OrtNoisePredictor(session).predict(latents, timesteps, context, dims);
      expect(Math.max(...reference.map(Math.abs))).toBeGreaterThan(0.1);
      expect(relativeMaxDifference(noise, reference)).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    } finally {
      await session.release();
    }
  });
});
