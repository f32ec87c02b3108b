/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { RandomWeightSource, WeightScope } from '../weights/weight-source';
import { DEFAULT_GRAPH_OPTIONS } from './graph-options';
import { buildRegionEncoderGraph, REGION_ENCODER_INPUTS, REGION_ENCODER_OUTPUT, TINY_REGION_ENCODER } from './region-encoder';
import { maxAbsDiff, patternTensor, runOnnx } from './testing/run-onnx';

describe('region encoder graph (CLIP ViT + FPN + mask pooling)', () => {
  const source = new RandomWeightSource(9);
  const model = buildRegionEncoderGraph(
    TINY_REGION_ENCODER,
    new WeightScope(source, 'vision_model.'),
    new WeightScope(source, 'region_encoder.fpn.'),
    DEFAULT_GRAPH_OPTIONS,
  ).model;
  const image = { data: patternTensor([1, 3, 32, 32]).data.map((v) => 0.5 + 0.5 * v), dims: [1, 3, 32, 32] };

  it('gives one feature per region mask, whatever the mask resolution', async () => {
    const masks = new Float32Array(3 * 64 * 64);
    masks.fill(1, 0, 64 * 32); // region 0: top half
    masks.fill(1, 64 * 64 + 64 * 32, 2 * 64 * 64); // region 1: bottom half; region 2 stays empty
    const out = (await runOnnx(model, { [REGION_ENCODER_INPUTS.image]: image, [REGION_ENCODER_INPUTS.masks]: { data: masks, dims: [1, 3, 64, 64] } }))[
      REGION_ENCODER_OUTPUT
    ]!;
    expect(out.dims).toEqual([1, 3, TINY_REGION_ENCODER.fpn.outputWidth]);
    expect(out.data.every(Number.isFinite)).toBe(true);
    const width = TINY_REGION_ENCODER.fpn.outputWidth;
    expect(maxAbsDiff(out.data.subarray(0, width), out.data.subarray(width, 2 * width))).toBeGreaterThan(1e-4);
  });
});
