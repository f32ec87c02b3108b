/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { createHash } from 'crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isFacexError } from '@facex/contracts';
import { FORS_INPUTS, FORS_OUTPUT } from '../graphs/fors';
import { REGION_ENCODER_INPUTS, REGION_ENCODER_OUTPUT } from '../graphs/region-encoder';
import { patternTensor, runOnnx } from '../graphs/testing/run-onnx';
import { buildUNetGraph, UNET_OUTPUT } from '../graphs/unet';
import { DEFAULT_GRAPH_OPTIONS } from '../graphs/graph-options';
import { buildVaeDecoderGraph, buildVaeEncoderGraph, VAE_DECODER_IO } from '../graphs/vae';
import { RecordingWeightSource } from '../weights/recording-weight-source';
import { SafetensorsFile, writeSafetensors } from '../weights/safetensors';
import { RandomWeightSource, WeightScope } from '../weights/weight-source';
import { buildDiffusionPack, WEIGHT_PREFIXES } from './build-diffusion-pack';
import { loadDiffusionPack } from './load-diffusion-pack';
import { DIFFUSION_ARCHITECTURES } from './sizes';

const tiny = DIFFUSION_ARCHITECTURES.tiny;

/** A tiny SD-layout checkpoint (U-Net and VAE keys) written from a seeded initialisation. */
function writeTinyCheckpoint(path: string): void {
  const recorder = new RecordingWeightSource(new RandomWeightSource(99));
  buildUNetGraph(tiny.unet, { unet: new WeightScope(recorder, WEIGHT_PREFIXES.unet), frc: null }, DEFAULT_GRAPH_OPTIONS);
  const vae = new WeightScope(recorder, WEIGHT_PREFIXES.vae);
  buildVaeEncoderGraph(tiny.vae, vae, DEFAULT_GRAPH_OPTIONS);
  buildVaeDecoderGraph(tiny.vae, vae, DEFAULT_GRAPH_OPTIONS);
  writeSafetensors(path, recorder.tensors, 'F16');
}

describe('tiny diffusion pack', () => {
  const work = mkdtempSync(join(tmpdir(), 'facex-diffusion-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds with random weights, says so, and runs region encoder → FORS → U-Net → VAE decoder on CPU', async () => {
    const dir = join(work, 'random');
    const manifest = await buildDiffusionPack({ outDir: dir, size: 'tiny', seed: 1 });
    expect(manifest.randomWeights).toBe(true);
    expect(manifest.weights.sd).toEqual({ kind: 'random', seed: 1 });
    expect(manifest.irVersion).toBeLessThanOrEqual(10);
    const pack = await loadDiffusionPack(dir);
    const unetIo = pack.manifest.models.unet;
    expect(unetIo.inputs.map((input) => input.name)).toEqual(['latents', 'timesteps', 'context']);
    expect(unetIo.inputs[0]!.dims).toEqual(['batch', 4, 'height', 'width']);

    const { totalWidth, slots } = manifest.tokenLayout;
    const regions = (
      await runOnnx(pack.modelPath('regionEncoder'), {
        [REGION_ENCODER_INPUTS.image]: { data: new Float32Array(3 * 32 * 32).fill(0.5), dims: [1, 3, 32, 32] },
        [REGION_ENCODER_INPUTS.masks]: { data: new Float32Array(2 * 16 * 16).fill(1), dims: [1, 2, 16, 16] },
      })
    )[REGION_ENCODER_OUTPUT]!;
    expect(regions.dims).toEqual([1, 2, manifest.tokenLayout.slots.find((slot) => slot.component === 'eyes')!.width]);
    const context = (
      await runOnnx(pack.modelPath('fors'), {
        [FORS_INPUTS.tokens]: patternTensor([1, totalWidth]),
        [FORS_INPUTS.slotPresent]: { data: new Float32Array(slots.length).fill(1), dims: [1, slots.length] },
        [FORS_INPUTS.referenceLatents]: patternTensor([1, 4, 8, 8]),
      })
    )[FORS_OUTPUT]!;
    expect(context.dims).toEqual([1, manifest.context.tokens, manifest.context.width]);
    const noise = (
      await runOnnx(pack.modelPath('unet'), { latents: patternTensor([1, 4, 8, 8]), timesteps: { data: Float32Array.of(500), dims: [1] }, context })
    )[UNET_OUTPUT]!;
    const image = (await runOnnx(pack.modelPath('vaeDecoder'), { [VAE_DECODER_IO.input]: noise }))[VAE_DECODER_IO.output]!;
    expect(image.dims).toEqual([1, 3, 8 * manifest.latent.downsampleFactor, 8 * manifest.latent.downsampleFactor]);
    expect(image.data.every(Number.isFinite)).toBe(true);
  });

  it('reads an SD-layout checkpoint unchanged and records its hash', async () => {
    const checkpoint = join(work, 'tiny-sd.safetensors');
    writeTinyCheckpoint(checkpoint);
    const manifest = await buildDiffusionPack({ outDir: join(work, 'from-file'), size: 'tiny', weights: { sd: checkpoint } });
    expect(manifest.weights.sd).toEqual({
      kind: 'file',
      file: 'tiny-sd.safetensors',
      sha256: createHash('sha256').update(readFileSync(checkpoint)).digest('hex'),
    });
    expect(manifest.weights.facex.kind).toBe('random');
    expect(manifest.randomWeights).toBe(true);
  });

  it('exports the FaceX weights it used, and a pack built from that file has identical models', async () => {
    const exported = join(work, 'facex-init.safetensors');
    const fromSeed = await buildDiffusionPack({ outDir: join(work, 'seeded'), size: 'tiny', seed: 3, exportFacexWeights: exported });
    const file = SafetensorsFile.open(exported);
    const keys = [...file.entries.keys()];
    file.close();
    expect(keys.every((key) => /^(frc|fors|region_encoder\.fpn)\./.test(key))).toBe(true);
    expect(keys).toContain('frc.middle_block.1.transformer_blocks.0.zero_conv.weight');
    const fromFile = await buildDiffusionPack({ outDir: join(work, 'dropped-in'), size: 'tiny', seed: 3, weights: { facex: exported } });
    expect(fromFile.weights.facex.kind).toBe('file');
    for (const id of ['unet', 'fors', 'regionEncoder'] as const) expect(fromFile.models[id].sha256).toBe(fromSeed.models[id].sha256);
  });

  it('refuses a truncated checkpoint before building anything', async () => {
    const checkpoint = join(work, 'truncated.safetensors');
    writeTinyCheckpoint(checkpoint);
    truncateSync(checkpoint, readFileSync(checkpoint).byteLength - 100);
    await expect(buildDiffusionPack({ outDir: join(work, 'truncated'), size: 'tiny', weights: { sd: checkpoint } })).rejects.toThrow(
      /shorter than its header says: tensor 'first_stage_model\./,
    );
  });

  it('refuses a pack whose model file changed after the build', async () => {
    const dir = join(work, 'tampered');
    await buildDiffusionPack({ outDir: dir, size: 'tiny' });
    appendFileSync(join(dir, 'fors.onnx'), Buffer.from([0]));
    const error = await loadDiffusionPack(dir).catch((e: unknown) => e);
    expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
    expect((error as Error).message).toMatch(/fors\.onnx has \d+ bytes/);
  });
});
