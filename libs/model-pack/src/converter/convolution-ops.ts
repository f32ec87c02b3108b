/** Convolutions, pooling, padding and resizing: the ops that run on NCHW values. */
import { FacexError } from '@facex/contracts';
import type { ConversionContext, OnnxValue } from './conversion-context';
import { emitActivation } from './activation';
import { transposeData } from './layout';
import { attrBool, attrInts, attrString, attrStrings, dataInputs, unsupported, type TfjsNode } from './tfjs-graph-model';
import type { OnnxAttribute } from '@facex/onnx';

/** Spatial (H, W) entries of an NHWC 4-vector attribute such as strides or ksize. */
function spatial(node: TfjsNode, name: string): number[] {
  const values = attrInts(node, name, [1, 1, 1, 1]);
  if (values.length !== 4) throw unsupported(node, `attribute '${name}' must have 4 entries`);
  return [values[1] as number, values[2] as number];
}

function requireNhwc(node: TfjsNode): void {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC') throw unsupported(node, `data_format ${format} is not supported`);
}

/**
 * TF padding as ONNX attributes. SAME pads the extra pixel at the end, exactly ONNX's SAME_UPPER;
 * EXPLICIT lists NHWC (before, after) pairs.
 */
export function paddingAttributes(node: TfjsNode, kernel: readonly number[]): Record<string, OnnxAttribute> {
  const padding = attrString(node, 'padding', 'VALID');
  switch (padding) {
    case 'SAME': {
      const dilations = spatial(node, 'dilations');
      if (dilations.every((d) => d === 1)) return { auto_pad: 'SAME_UPPER' };
      // ORT has no SAME_UPPER with dilation. At stride 1 (TF's only choice with dilation) the total pad is
      // effective kernel - 1 whatever the input size, the odd pixel going at the end.
      if (spatial(node, 'strides').some((s) => s !== 1)) throw unsupported(node, 'SAME padding with both dilation and stride > 1');
      const totals = kernel.map((k, axis) => (k - 1) * (dilations[axis] as number));
      const before = totals.map((total) => Math.floor(total / 2));
      return { pads: [...before, ...totals.map((total, axis) => total - (before[axis] as number))] };
    }
    case 'VALID':
      return { auto_pad: 'VALID' };
    case 'EXPLICIT': {
      const p = attrInts(node, 'explicit_paddings');
      if (p.length !== 8) throw unsupported(node, 'explicit_paddings must have 8 entries');
      return { pads: [p[2], p[4], p[3], p[5]] as number[] };
    }
    default:
      throw unsupported(node, `padding ${padding} is not supported`);
  }
}

/** Conv2D filter [kh, kw, in, out] -> ONNX [out, in, kh, kw]. */
function conv2dWeights(ctx: ConversionContext, node: TfjsNode, ref: string): string {
  const filter = ctx.constant(node, ref);
  const { data, shape } = transposeData(filter.data as Float32Array, filter.shape, [3, 2, 0, 1]);
  return ctx.builder.addFloatInitializer(`${ref}/oihw`, shape, data);
}

/** Depthwise filter [kh, kw, in, mult] -> ONNX grouped [in * mult, 1, kh, kw] (output channel c * mult + m). */
function depthwiseWeights(ctx: ConversionContext, node: TfjsNode, ref: string): { name: string; groups: number } {
  const filter = ctx.constant(node, ref);
  const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
  const { data } = transposeData(filter.data as Float32Array, filter.shape, [2, 3, 0, 1]);
  return { name: ctx.builder.addFloatInitializer(`${ref}/oihw`, [channels * multiplier, 1, kh, kw], data), groups: channels };
}

function bias(ctx: ConversionContext, node: TfjsNode, ref: string): string {
  const tensor = ctx.constant(node, ref);
  if (tensor.shape.length !== 1) throw unsupported(node, 'the fused bias must be 1-D');
  return ctx.builder.addFloatInitializer(ref, tensor.shape, tensor.data as Float32Array);
}

/** Conv2D, DepthwiseConv2dNative and their fused forms (BiasAdd then an optional activation). */
export function convertConvolution(node: TfjsNode, ctx: ConversionContext): void {
  requireNhwc(node);
  const [inputRef, filterRef, ...args] = dataInputs(node);
  if (!inputRef || !filterRef) throw unsupported(node, 'needs an input and a filter');
  const depthwise = node.op.includes('Depthwise');
  const input = ctx.asNchw(node, ctx.value(node, inputRef));
  const weights = depthwise ? depthwiseWeights(ctx, node, filterRef) : { name: conv2dWeights(ctx, node, filterRef), groups: 1 };
  const fused = attrStrings(node, 'fused_ops');
  const [first, activation, ...rest] = fused;
  if (fused.length > 0 && first !== 'BiasAdd') throw unsupported(node, `fused op ${first} is not supported`);
  if (rest.length > 0) throw unsupported(node, `fused ops ${fused.join(',')} are not supported`);
  const inputs = [input.name, weights.name];
  if (first === 'BiasAdd') inputs.push(bias(ctx, node, args[0] ?? ''));
  const convName = activation ? `${node.name}:conv` : `${node.name}:0`;
  const filterShape = ctx.constant(node, filterRef).shape;
  const conv: OnnxValue = {
    layout: 'nchw',
    rank: 4,
    name: ctx.builder.emit('Conv', inputs, convName, {
      ...paddingAttributes(node, filterShape.slice(0, 2)),
      strides: spatial(node, 'strides'),
      dilations: spatial(node, 'dilations'),
      group: weights.groups,
    }),
  };
  ctx.define(node.name, activation ? emitActivation(ctx, node, activation, conv, args[1], `${node.name}:0`) : conv);
}

/**
 * Conv2DBackpropInput (transposed convolution). TF fixes the output size through `input_sizes`; the crop at
 * each side follows the forward convolution's padding (SAME: floor(total / 2) before, the rest after).
 */
export function convertTransposedConvolution(node: TfjsNode, ctx: ConversionContext): void {
  requireNhwc(node);
  const [sizesRef, filterRef, inputRef] = dataInputs(node);
  if (!sizesRef || !filterRef || !inputRef) throw unsupported(node, 'needs input_sizes, filter and input');
  const outputSize = ctx.constInts(node, sizesRef);
  const filter = ctx.constant(node, filterRef);
  const [kh, kw] = filter.shape as [number, number, number, number];
  const strides = spatial(node, 'strides');
  const dilations = spatial(node, 'dilations');
  const padding = attrString(node, 'padding', 'VALID');
  const explicit = attrInts(node, 'explicit_paddings');
  const pads = [0, 0, 0, 0];
  const outputPadding = [0, 0];
  [kh, kw].forEach((kernel, axis) => {
    const out = outputSize[axis + 1] as number;
    const stride = strides[axis] as number;
    const effectiveKernel = (kernel - 1) * (dilations[axis] as number) + 1;
    // The forward convolution this op is the gradient of: padding before/after and its input size.
    let before = padding === 'EXPLICIT' ? (explicit[2 + 2 * axis] as number) : 0;
    const explicitTotal = padding === 'EXPLICIT' ? before + (explicit[3 + 2 * axis] as number) : 0;
    const inputSize = padding === 'SAME' ? Math.ceil(out / stride) : Math.floor((out + explicitTotal - effectiveKernel) / stride) + 1;
    if (padding === 'SAME') before = Math.floor(Math.max((inputSize - 1) * stride + effectiveKernel - out, 0) / 2);
    const after = (inputSize - 1) * stride + effectiveKernel - before - out;
    pads[axis] = before;
    if (after >= 0) pads[axis + 2] = after;
    else outputPadding[axis] = -after;
  });
  // TF filter [kh, kw, out, in] -> ONNX ConvTranspose [in, out, kh, kw].
  const { data, shape } = transposeData(filter.data as Float32Array, filter.shape, [3, 2, 0, 1]);
  const weights = ctx.builder.addFloatInitializer(`${filterRef}/iohw`, shape, data);
  const input = ctx.asNchw(node, ctx.value(node, inputRef));
  const name = ctx.builder.emit('ConvTranspose', [input.name, weights], `${node.name}:0`, {
    pads,
    output_padding: outputPadding,
    strides,
    dilations,
  });
  ctx.define(node.name, { name, layout: 'nchw', rank: 4 });
}

export function convertPooling(node: TfjsNode, ctx: ConversionContext): void {
  requireNhwc(node);
  const [inputRef] = dataInputs(node);
  const input = ctx.asNchw(node, ctx.value(node, inputRef ?? ''));
  const onnxOp = node.op === 'MaxPool' ? 'MaxPool' : 'AveragePool';
  // TF averages only over real (unpadded) pixels: count_include_pad 0.
  const extra: Record<string, OnnxAttribute> = onnxOp === 'AveragePool' ? { count_include_pad: 0 } : {};
  const kernel = spatial(node, 'ksize');
  const name = ctx.builder.emit(onnxOp, [input.name], `${node.name}:0`, {
    ...paddingAttributes(node, kernel),
    kernel_shape: kernel,
    strides: spatial(node, 'strides'),
    ...extra,
  });
  ctx.define(node.name, { name, layout: 'nchw', rank: 4 });
}

/** Pad / PadV2 with constant paddings [rank, 2]; 4-D NCHW values get their rows permuted. */
export function convertPad(node: TfjsNode, ctx: ConversionContext): void {
  const [inputRef, paddingsRef, valueRef] = dataInputs(node);
  const input = ctx.value(node, inputRef ?? '');
  const rows = ctx.constInts(node, paddingsRef ?? '');
  if (rows.length !== 2 * input.rank) throw unsupported(node, `paddings must be [${input.rank}, 2]`);
  const order = input.layout === 'nchw' ? [0, 3, 1, 2] : [...Array(input.rank).keys()];
  const pads = [...order.map((axis) => rows[2 * axis] as number), ...order.map((axis) => rows[2 * axis + 1] as number)];
  const inputs = [input.name, ctx.builder.addInt64Initializer(`${node.name}/pads`, [pads.length], pads)];
  if (valueRef) inputs.push(ctx.value(node, valueRef).name);
  const name = ctx.builder.emit('Pad', inputs, `${node.name}:0`, { mode: 'constant' });
  ctx.define(node.name, { ...input, name });
}

/** TF's resize flags as ONNX coordinate_transformation_mode. */
function coordinateMode(node: TfjsNode): string {
  const alignCorners = attrBool(node, 'align_corners', false);
  const halfPixel = attrBool(node, 'half_pixel_centers', false);
  if (alignCorners && halfPixel)
    throw new FacexError('model_pack_invalid', `node '${node.name}': align_corners and half_pixel_centers are exclusive`, { field: node.name });
  return alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
}

/** ResizeBilinear to a constant [h, w]; the batch and channel sizes are taken from the input at run time. */
export function convertResizeBilinear(node: TfjsNode, ctx: ConversionContext): void {
  const [inputRef, sizeRef] = dataInputs(node);
  const input = ctx.asNchw(node, ctx.value(node, inputRef ?? ''));
  const size = ctx.constInts(node, sizeRef ?? '');
  if (size.length !== 2) throw unsupported(node, 'size must be [height, width]');
  const b = ctx.builder;
  const shape = b.emit('Shape', [input.name], `${node.name}/shape`);
  const batchAndChannels = b.emit(
    'Slice',
    [shape, b.addInt64Initializer(`${node.name}/starts`, [1], [0]), b.addInt64Initializer(`${node.name}/ends`, [1], [2])],
    `${node.name}/nc`,
  );
  const sizes = b.emit('Concat', [batchAndChannels, b.addInt64Initializer(`${node.name}/hw`, [2], size)], `${node.name}/sizes`, { axis: 0 });
  const name = b.emit('Resize', [input.name, '', '', sizes], `${node.name}:0`, {
    mode: 'linear',
    coordinate_transformation_mode: coordinateMode(node),
  });
  ctx.define(node.name, { name, layout: 'nchw', rank: 4 });
}
