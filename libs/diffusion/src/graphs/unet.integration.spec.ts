/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { onnx } from 'onnx-proto';
import { RecordingWeightSource } from '../weights/recording-weight-source';
import { SafetensorsFile, writeSafetensors } from '../weights/safetensors';
import { RandomWeightSource, SafetensorsWeightSource, WeightScope, type WeightSource } from '../weights/weight-source';
import { DEFAULT_GRAPH_OPTIONS, type GraphOptions } from './graph-options';
import { maxAbsDiff, patternTensor, runOnnx, type FloatTensor } from './testing/run-onnx';
import { buildUNetGraph, UNET_OUTPUT } from './unet';
import { TINY_UNET } from './unet-config';

const SD_PREFIX = 'model.diffusion_model.';
const BATCH = 2;
const inputs = (): Record<string, FloatTensor> => ({
  latents: patternTensor([BATCH, 4, 16, 16]),
  timesteps: { data: Float32Array.of(999, 999), dims: [BATCH] },
  context: patternTensor([BATCH, 3, TINY_UNET.contextWidth], 1),
});

function build(source: WeightSource, withFrc: boolean, options: GraphOptions = DEFAULT_GRAPH_OPTIONS): Uint8Array {
  const frc = withFrc ? new WeightScope(source, 'frc.') : null;
  return buildUNetGraph(TINY_UNET, { unet: new WeightScope(source, SD_PREFIX), frc }, options).model;
}

async function noise(model: Uint8Array, feeds = inputs()): Promise<FloatTensor> {
  return (await runOnnx(model, feeds))[UNET_OUTPUT] as FloatTensor;
}

describe('tiny U-Net graph', () => {
  const random = new RandomWeightSource(7);

  it('maps latents [B,4,h,w] to noise of the same shape, one timestep per sample', async () => {
    const feeds = inputs();
    // Same latents and context in both samples, different timesteps: the outputs must differ.
    feeds['latents'] = { data: new Float32Array(BATCH * 4 * 16 * 16).fill(0.25), dims: [BATCH, 4, 16, 16] };
    feeds['context'] = { data: new Float32Array(BATCH * 3 * 64).fill(0.5), dims: [BATCH, 3, 64] };
    feeds['timesteps'] = { data: Float32Array.of(10, 900), dims: [BATCH] };
    const out = await noise(build(random, true), feeds);
    expect(out.dims).toEqual([BATCH, 4, 16, 16]);
    expect(out.data.every(Number.isFinite)).toBe(true);
    const half = out.data.length / 2;
    expect(maxAbsDiff(out.data.subarray(0, half), out.data.subarray(half))).toBeGreaterThan(1e-4);
    const model = onnx.ModelProto.decode(build(random, true));
    expect(Number(model.irVersion)).toBeLessThanOrEqual(10);
  });

  it('with zero-initialised FRC gives exactly the U-Net without FRC', async () => {
    const [withFrc, without] = await Promise.all([noise(build(random, true)), noise(build(random, false))]);
    expect(maxAbsDiff(withFrc.data, without.data)).toBe(0);
    // A non-zero ZeroConv must change the output, or the FRC would not be wired in at all.
    const trainedFrc: WeightSource = {
      random: true,
      description: 'test',
      tensor: (key, shape, init) => random.tensor(key, shape, key.includes('zero_conv') ? { kind: 'uniform', fanIn: 4 } : init),
    };
    expect(maxAbsDiff((await noise(build(trainedFrc, true))).data, without.data)).toBeGreaterThan(1e-3);
  });

  it('loads the same weights from a safetensors file and gives identical output', async () => {
    const recorder = new RecordingWeightSource(random);
    const fromRandom = build(recorder, true);
    const dir = mkdtempSync(join(tmpdir(), 'facex-unet-'));
    const path = join(dir, 'weights.safetensors');
    writeSafetensors(path, recorder.tensors);
    const file = SafetensorsFile.open(path);
    try {
      const fromFile = build(new SafetensorsWeightSource(file, 'test'), true);
      expect(maxAbsDiff((await noise(fromFile)).data, (await noise(fromRandom)).data)).toBe(0);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds deterministic bytes from the same seed and different weights from another seed', () => {
    const a = build(new RandomWeightSource(3), true);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(build(new RandomWeightSource(3), true)))).toBe(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(build(new RandomWeightSource(4), true)))).not.toBe(0);
  });

  it('float16 graph stays within 5e-3 of float32 (relative to the output range)', async () => {
    const reference = await noise(build(random, true));
    const half = await noise(build(random, true, { precision: 'float16', attention: 'matmul' }));
    const range = Math.max(...Array.from(reference.data, Math.abs));
    expect(maxAbsDiff(half.data, reference.data) / range).toBeLessThan(5e-3);
  });

  it('contrib MultiHeadAttention gives the MatMul/Softmax result', async () => {
    const reference = await noise(build(random, true));
    const fused = await noise(build(random, true, { precision: 'float32', attention: 'contrib' }));
    expect(maxAbsDiff(fused.data, reference.data)).toBeLessThan(1e-4);
  });
});
