/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { RandomWeightSource, WeightScope } from '../weights/weight-source';
import { DEFAULT_GRAPH_OPTIONS } from './graph-options';
import { maxAbsDiff, patternTensor, runOnnx } from './testing/run-onnx';
import { buildVaeDecoderGraph, buildVaeEncoderGraph, TINY_VAE, VAE_DECODER_IO, VAE_ENCODER_IO, vaeDownsampleFactor } from './vae';

describe('tiny VAE graphs', () => {
  const root = new WeightScope(new RandomWeightSource(11), 'first_stage_model.');

  it('encodes [B,3,H,W] to scaled latents [B,4,H/8,W/8] and decodes back to image size', async () => {
    expect(vaeDownsampleFactor(TINY_VAE)).toBe(8);
    const image = patternTensor([2, 3, 32, 48]);
    const encoded = (await runOnnx(buildVaeEncoderGraph(TINY_VAE, root, DEFAULT_GRAPH_OPTIONS).model, { [VAE_ENCODER_IO.input]: image }))[
      VAE_ENCODER_IO.output
    ]!;
    expect(encoded.dims).toEqual([2, 4, 4, 6]);
    const decoded = (await runOnnx(buildVaeDecoderGraph(TINY_VAE, root, DEFAULT_GRAPH_OPTIONS).model, { [VAE_DECODER_IO.input]: encoded }))[
      VAE_DECODER_IO.output
    ]!;
    expect(decoded.dims).toEqual([2, 3, 32, 48]);
    expect(decoded.data.every(Number.isFinite)).toBe(true);
  });

  it('applies the scaling factor: latents are the posterior mean times 0.18215', async () => {
    const image = { [VAE_ENCODER_IO.input]: patternTensor([1, 3, 16, 16]) };
    const scaled = (await runOnnx(buildVaeEncoderGraph(TINY_VAE, root, DEFAULT_GRAPH_OPTIONS).model, image))[VAE_ENCODER_IO.output]!;
    const unscaledConfig = { ...TINY_VAE, scalingFactor: 1 };
    const mean = (await runOnnx(buildVaeEncoderGraph(unscaledConfig, root, DEFAULT_GRAPH_OPTIONS).model, image))[VAE_ENCODER_IO.output]!;
    expect(
      maxAbsDiff(
        scaled.data,
        mean.data.map((v) => v * 0.18215),
      ),
    ).toBeLessThan(1e-6);
  });
});
