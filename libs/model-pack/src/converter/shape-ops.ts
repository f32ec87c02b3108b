/** Layout-sensitive ops: reshapes, squeezes, reductions, concatenation, softmax and matrix products. */
import type { ConversionContext, OnnxValue } from './conversion-context';
import { alignOperands } from './elementwise-ops';
import { emitActivation } from './activation';
import { nchwAxisOf, normalizeAxis } from './layout';
import { attrBool, attrInts, attrStrings, dataInputs, unsupported, type TfjsNode } from './tfjs-graph-model';

function onlyInput(node: TfjsNode, ctx: ConversionContext): OnnxValue {
  const [ref] = dataInputs(node);
  if (!ref) throw unsupported(node, 'has no input');
  return ctx.value(node, ref);
}

/** Identity-like ops are aliases: no ONNX node. */
export function convertIdentity(node: TfjsNode, ctx: ConversionContext): void {
  ctx.define(node.name, onlyInput(node, ctx));
}

/** Reshape works on TF's element order, so a 4-D NCHW value goes back to NHWC first. */
export function convertReshape(node: TfjsNode, ctx: ConversionContext): void {
  const [inputRef, shapeRef] = dataInputs(node);
  const input = ctx.asNative(ctx.value(node, inputRef ?? ''));
  const shape = ctx.constInts(node, shapeRef ?? '');
  const shapeName = ctx.builder.addInt64Initializer(`${node.name}/shape`, [shape.length], shape);
  const name = ctx.builder.emit('Reshape', [input.name, shapeName], `${node.name}:0`);
  ctx.define(node.name, { name, layout: 'native', rank: shape.length });
}

export function convertSqueeze(node: TfjsNode, ctx: ConversionContext): void {
  const input = ctx.asNative(onlyInput(node, ctx));
  const axes = attrInts(node, 'squeeze_dims').map((axis) => normalizeAxis(axis, input.rank));
  if (axes.length === 0) throw unsupported(node, 'squeeze without squeeze_dims needs static shapes');
  const axesName = ctx.builder.addInt64Initializer(`${node.name}/axes`, [axes.length], axes);
  const name = ctx.builder.emit('Squeeze', [input.name, axesName], `${node.name}:0`);
  ctx.define(node.name, { name, layout: 'native', rank: input.rank - axes.length });
}

const REDUCTIONS: Readonly<Record<string, string>> = { Sum: 'ReduceSum', Mean: 'ReduceMean', Max: 'ReduceMax', Min: 'ReduceMin', Prod: 'ReduceProd' };
export const REDUCTION_OPS: readonly string[] = Object.keys(REDUCTIONS);

/** Reductions keep NCHW only when they keep the rank (axes are remapped); otherwise they run in TF order. */
export function convertReduction(node: TfjsNode, ctx: ConversionContext): void {
  const [inputRef, axesRef] = dataInputs(node);
  const keepDims = attrBool(node, 'keep_dims', false);
  const original = ctx.value(node, inputRef ?? '');
  const input = keepDims ? original : ctx.asNative(original);
  const tfAxes = ctx.constInts(node, axesRef ?? '').map((axis) => normalizeAxis(axis, input.rank));
  const axes = [...new Set(input.layout === 'nchw' ? tfAxes.map(nchwAxisOf) : tfAxes)].sort((a, b) => a - b);
  const onnxOp = REDUCTIONS[node.op] as string;
  const keepdims = keepDims ? 1 : 0;
  // Opset 17: only ReduceSum takes its axes as an input; the others still use an attribute.
  const name =
    onnxOp === 'ReduceSum'
      ? ctx.builder.emit(onnxOp, [input.name, ctx.builder.addInt64Initializer(`${node.name}/axes`, [axes.length], axes)], `${node.name}:0`, { keepdims })
      : ctx.builder.emit(onnxOp, [input.name], `${node.name}:0`, { axes, keepdims });
  const rank = keepDims ? input.rank : input.rank - axes.length;
  ctx.define(node.name, { name, layout: rank === 4 ? input.layout : 'native', rank });
}

/** ConcatV2: the last input is the axis. */
export function convertConcat(node: TfjsNode, ctx: ConversionContext): void {
  const refs = dataInputs(node);
  const axisRef = refs.pop();
  const [axisValue] = ctx.constInts(node, axisRef ?? '');
  const { operands, layout } = alignOperands(node, ctx, refs);
  const rank = operands[0]?.rank ?? 0;
  if (operands.some((value) => value.rank !== rank)) throw unsupported(node, 'operands differ in rank');
  const tfAxis = normalizeAxis(axisValue ?? 0, rank);
  const axis = layout === 'nchw' ? nchwAxisOf(tfAxis) : tfAxis;
  const name = ctx.builder.emit(
    'Concat',
    operands.map((value) => value.name),
    `${node.name}:0`,
    { axis },
  );
  ctx.define(node.name, { name, layout, rank });
}

/** TF softmax runs over the last axis, which is the channel axis (1) of an NCHW value. */
export function convertSoftmax(node: TfjsNode, ctx: ConversionContext): void {
  const input = onlyInput(node, ctx);
  const axis = input.layout === 'nchw' ? 1 : -1;
  ctx.define(node.name, { ...input, name: ctx.builder.emit('Softmax', [input.name], `${node.name}:0`, { axis }) });
}

/** MatMul and _FusedMatMul (BiasAdd then an optional activation) on 2-D operands, as Gemm. */
export function convertMatMul(node: TfjsNode, ctx: ConversionContext): void {
  const [aRef, bRef, ...args] = dataInputs(node);
  const a = ctx.asNative(ctx.value(node, aRef ?? ''));
  const b = ctx.asNative(ctx.value(node, bRef ?? ''));
  if (a.rank !== 2 || b.rank !== 2) throw unsupported(node, 'only 2-D matrix products are supported');
  const [first, activation, ...rest] = attrStrings(node, 'fused_ops');
  if ((first !== undefined && first !== 'BiasAdd') || rest.length > 0) throw unsupported(node, 'only BiasAdd and one activation can be fused');
  const inputs = [a.name, b.name];
  if (first === 'BiasAdd') inputs.push(ctx.value(node, args[0] ?? '').name);
  const gemm: OnnxValue = {
    layout: 'native',
    rank: 2,
    name: ctx.builder.emit('Gemm', inputs, activation ? `${node.name}:gemm` : `${node.name}:0`, {
      transA: attrBool(node, 'transpose_a', false) ? 1 : 0,
      transB: attrBool(node, 'transpose_b', false) ? 1 : 0,
    }),
  };
  ctx.define(node.name, activation ? emitActivation(ctx, node, activation, gemm, args[1], `${node.name}:0`) : gemm);
}
