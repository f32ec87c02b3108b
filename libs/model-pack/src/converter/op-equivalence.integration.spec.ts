/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
/**
 * Single-op graphs through the converter and TF.js: padding modes, strides, dilations, fused activations,
 * resize modes, transposed convolution and the layout-sensitive ops none of the pack's models exercises.
 */
import * as ort from 'onnxruntime-node';
import { convertGraphModel } from './convert-graph-model';
import { attr, SyntheticGraph } from '../testing/synthetic-graph';
import { loadReferenceModel, runReference } from '../testing/tfjs-reference';

/** Same bound as the real models: 1e-4 of the output range. */
const RELATIVE_TOLERANCE = 1e-4;

const NHWC = { data_format: attr.str('NHWC') };
const stride = (s: number) => attr.ints([1, s, s, 1]);
/** Attributes every TF convolution carries. */
const CONV = { ...NHWC, dilations: stride(1) };

function seededInput(length: number): Float32Array {
  let state = 987654321;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

async function expectSameAsTfjs(graph: SyntheticGraph, inputShape: number[]): Promise<void> {
  const { modelJson, weights } = graph.build();
  const reference = await loadReferenceModel(modelJson, weights);
  const session = await ort.InferenceSession.create(convertGraphModel(modelJson, weights));
  try {
    const input = seededInput(inputShape.reduce((a, b) => a * b, 1));
    const expected = runReference(reference, input, inputShape, session.outputNames);
    const actual = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', input, inputShape) });
    session.outputNames.forEach((name, index) => {
      const want = expected[index] as { data: Float32Array; shape: number[] };
      const got = actual[name] as ort.Tensor;
      const gotData = got.data as Float32Array;
      let difference = 0;
      let range = 1;
      want.data.forEach((value, i) => {
        difference = Math.max(difference, Math.abs(value - (gotData[i] as number)));
        range = Math.max(range, Math.abs(value));
      });
      expect({ name, dims: [...got.dims] }).toEqual({ name, dims: want.shape });
      expect({ name, withinTolerance: difference <= RELATIVE_TOLERANCE * range, difference }).toMatchObject({ name, withinTolerance: true });
    });
  } finally {
    reference.dispose();
    await session.release();
  }
}

describe('converter op semantics match TF.js', () => {
  it('convolutions: SAME with odd sizes and stride 2, dilation, EXPLICIT, depthwise multiplier, fused activations', async () => {
    const g = new SyntheticGraph()
      .input('x', [-1, 9, 11, 3])
      .randomConst('w', [3, 3, 3, 4])
      .randomConst('dw', [3, 3, 3, 2])
      .randomConst('b', [4])
      .randomConst('b6', [6])
      .randomConst('alpha', [4], 0.5)
      .op('same_s2', 'Conv2D', ['x', 'w'], { ...CONV, strides: stride(2), padding: attr.str('SAME') })
      .op('dilated', 'Conv2D', ['x', 'w'], { ...CONV, strides: stride(1), dilations: attr.ints([1, 2, 2, 1]), padding: attr.str('SAME') })
      .op('explicit', 'Conv2D', ['x', 'w'], {
        ...CONV,
        strides: stride(2),
        padding: attr.str('EXPLICIT'),
        explicit_paddings: attr.ints([0, 0, 1, 2, 2, 0, 0, 0]),
      })
      .op('depthwise', 'DepthwiseConv2dNative', ['x', 'dw'], { ...CONV, strides: stride(2), padding: attr.str('SAME') })
      .op('relu6', '_FusedConv2D', ['x', 'w', 'b'], {
        ...CONV,
        strides: stride(1),
        padding: attr.str('VALID'),
        fused_ops: attr.strs(['BiasAdd', 'Relu6']),
        num_args: attr.int(1),
      })
      .op('prelu', '_FusedConv2D', ['x', 'w', 'b', 'alpha'], {
        ...CONV,
        strides: stride(1),
        padding: attr.str('SAME'),
        fused_ops: attr.strs(['BiasAdd', 'Prelu']),
        num_args: attr.int(2),
      })
      .op('leaky', '_FusedConv2D', ['x', 'w', 'b'], {
        ...CONV,
        strides: stride(1),
        padding: attr.str('SAME'),
        fused_ops: attr.strs(['BiasAdd', 'LeakyRelu']),
        num_args: attr.int(1),
        leakyrelu_alpha: attr.float(0.1),
      })
      .op('fused_depthwise', 'FusedDepthwiseConv2dNative', ['x', 'dw', 'b6'], {
        ...CONV,
        strides: stride(1),
        padding: attr.str('SAME'),
        fused_ops: attr.strs(['BiasAdd', 'Relu']),
        num_args: attr.int(1),
      });
    await expectSameAsTfjs(g, [2, 9, 11, 3]);
  });

  it('pooling with SAME padding, bilinear resize in all three coordinate modes, Pad, transposed convolution', async () => {
    const g = new SyntheticGraph()
      .input('x', [2, 9, 11, 3])
      .intConst('size_a', [7, 5])
      .intConst('size_b', [13, 17])
      .intConst('size_c', [6, 8])
      .intConst('paddings', [0, 0, 1, 2, 0, 3, 1, 0], [4, 2])
      .intConst('same_sizes', [2, 17, 21, 5])
      .intConst('valid_sizes', [2, 19, 23, 5])
      .intConst('explicit_sizes', [2, 18, 23, 5])
      .randomConst('wt', [3, 3, 5, 3])
      .op('max_same', 'MaxPool', ['x'], { ...NHWC, ksize: stride(3), strides: stride(2), padding: attr.str('SAME') })
      .op('avg_same', 'AvgPool', ['x'], { ...NHWC, ksize: stride(3), strides: stride(2), padding: attr.str('SAME') })
      .op('avg_valid', 'AvgPool', ['x'], { ...NHWC, ksize: stride(2), strides: stride(2), padding: attr.str('VALID') })
      .op('resize_align', 'ResizeBilinear', ['x', 'size_a'], { align_corners: attr.bool(true), half_pixel_centers: attr.bool(false) })
      .op('resize_half', 'ResizeBilinear', ['x', 'size_b'], { align_corners: attr.bool(false), half_pixel_centers: attr.bool(true) })
      .op('resize_plain', 'ResizeBilinear', ['x', 'size_c'], { align_corners: attr.bool(false), half_pixel_centers: attr.bool(false) })
      .op('padded', 'Pad', ['x', 'paddings'])
      .op('deconv_same', 'Conv2DBackpropInput', ['same_sizes', 'wt', 'x'], { ...NHWC, strides: stride(2), padding: attr.str('SAME') })
      .op('deconv_valid', 'Conv2DBackpropInput', ['valid_sizes', 'wt', 'x'], { ...NHWC, strides: stride(2), padding: attr.str('VALID') })
      .op('deconv_explicit', 'Conv2DBackpropInput', ['explicit_sizes', 'wt', 'x'], {
        ...NHWC,
        strides: stride(2),
        padding: attr.str('EXPLICIT'),
        explicit_paddings: attr.ints([0, 0, 1, 0, 0, 1, 0, 0]),
      });
    await expectSameAsTfjs(g, [2, 9, 11, 3]);
  });

  it('layout-sensitive ops on NCHW-held tensors: Reshape, reductions, Squeeze, ConcatV2, Softmax, MatMul, broadcasting against constants and lower-rank tensors', async () => {
    const g = new SyntheticGraph()
      .input('x', [-1, 6, 5, 4])
      .randomConst('w', [1, 1, 4, 8])
      .randomConst('m', [240, 10])
      .randomConst('m2', [8, 6])
      .randomConst('b2', [6])
      .randomConst('m3', [5, 8])
      .randomConst('per_channel', [12])
      .floatConst('floor', [], Float32Array.of(-0.25))
      .floatConst('unit', [], Float32Array.of(1))
      .intConst('flat', [-1, 240])
      .intConst('hw', [1, 2])
      .intConst('w_axis', [2])
      .intConst('c_axis', [3])
      .intConst('last', [-1], [])
      .intConst('batch_axis', [0])
      .op('c', 'Conv2D', ['x', 'w'], { ...CONV, strides: stride(1), padding: attr.str('VALID') })
      .op('flattened', 'Reshape', ['c', 'flat'])
      .op('logits', 'MatMul', ['flattened', 'm'], { transpose_a: attr.bool(false), transpose_b: attr.bool(false) })
      .op('probabilities', 'Softmax', ['logits'])
      .op('pooled', 'Mean', ['c', 'hw'], { keep_dims: attr.bool(false) })
      .op('dense', '_FusedMatMul', ['pooled', 'm2', 'b2'], {
        fused_ops: attr.strs(['BiasAdd', 'Relu']),
        num_args: attr.int(1),
        transpose_a: attr.bool(false),
        transpose_b: attr.bool(false),
      })
      .op('transposed_b', 'MatMul', ['pooled', 'm3'], { transpose_a: attr.bool(false), transpose_b: attr.bool(true) })
      .op('channel_sum', 'Sum', ['c', 'c_axis'], { keep_dims: attr.bool(true) })
      .op('centred', 'Sub', ['c', 'channel_sum'])
      .op('joined', 'ConcatV2', ['c', 'x', 'last'])
      .op('capped', 'Minimum', ['joined', 'per_channel'])
      .op('floored', 'Maximum', ['capped', 'floor'])
      .op('row_mean', 'Mean', ['c', 'w_axis'], { keep_dims: attr.bool(true) })
      .op('rows', 'Squeeze', ['row_mean'], { squeeze_dims: attr.ints([2]) })
      .op('row_softmax', 'Softmax', ['rows'])
      .op('spatial_mean', 'Mean', ['c', 'hw'], { keep_dims: attr.bool(true) })
      .op('tripled', 'AddN', ['c', 'c', 'c'], { N: attr.int(3) })
      .op('squared', 'Square', ['c'])
      .op('magnitude', 'Abs', ['c'])
      .op('shifted', 'AddV2', ['magnitude', 'floor'])
      .op('positive', 'AddV2', ['squared', 'unit'])
      .op('inverse_root', 'Rsqrt', ['positive'])
      .op('channel_softmax', 'Softmax', ['c'])
      .op('batch_mean', 'Mean', ['pooled', 'batch_axis'], { keep_dims: attr.bool(false) })
      .op('shifted_by_vector', 'AddV2', ['c', 'batch_mean']);
    await expectSameAsTfjs(g, [3, 6, 5, 4]);
  });
});
