/** Element-wise ops: they keep the layout of their operands; constants are re-laid-out at conversion time. */
import type { ConversionContext, Layout, OnnxValue } from './conversion-context';
import { emitActivation } from './activation';
import { dataInputs, unsupported, type TfjsNode } from './tfjs-graph-model';

const BINARY_OPS: Readonly<Record<string, string>> = {
  Add: 'Add',
  AddV2: 'Add',
  BiasAdd: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Div: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Prelu: 'PRelu',
  AddN: 'Sum',
};

const UNARY_OPS: Readonly<Record<string, string>> = {
  Abs: 'Abs',
  Neg: 'Neg',
  Exp: 'Exp',
  Log: 'Log',
  Sqrt: 'Sqrt',
  Tanh: 'Tanh',
  Sigmoid: 'Sigmoid',
  Relu: 'Relu',
  Elu: 'Elu',
};

export const ELEMENTWISE_OPS: readonly string[] = [...Object.keys(BINARY_OPS), ...Object.keys(UNARY_OPS), 'Relu6', 'Square', 'Rsqrt'];

/**
 * Brings all operands to one layout: NCHW when a non-constant operand is NCHW and every non-constant operand
 * is 4-D (so the big tensor never moves), else TF's own order (NCHW operands transposed back).
 */
export function alignOperands(node: TfjsNode, ctx: ConversionContext, refs: string[]): { operands: OnnxValue[]; layout: Layout } {
  const dynamic = refs.filter((ref) => !ctx.isConst(ref)).map((ref) => ctx.value(node, ref));
  const layout: Layout = dynamic.some((value) => value.layout === 'nchw') && dynamic.every((value) => value.rank === 4) ? 'nchw' : 'native';
  const operands = refs.map((ref) => {
    if (ctx.isConst(ref)) return ctx.constValue(node, ref, layout);
    const value = ctx.value(node, ref);
    return layout === 'nchw' ? ctx.asNchw(node, value) : ctx.asNative(value);
  });
  return { operands, layout };
}

export function convertElementwise(node: TfjsNode, ctx: ConversionContext): void {
  const refs = dataInputs(node);
  const { operands, layout } = alignOperands(node, ctx, refs);
  const rank = Math.max(...operands.map((value) => value.rank));
  const result = (name: string): OnnxValue => ({ name, layout: rank === 4 ? layout : 'native', rank });
  const out = `${node.name}:0`;
  const names = operands.map((value) => value.name);
  const [x] = operands;
  if (!x) throw unsupported(node, 'has no inputs');
  const binary = BINARY_OPS[node.op];
  const unary = UNARY_OPS[node.op];
  if (binary) {
    ctx.define(node.name, result(ctx.builder.emit(binary, names, out)));
  } else if (unary) {
    ctx.define(node.name, result(ctx.builder.emit(unary, [x.name], out)));
  } else if (node.op === 'Relu6') {
    ctx.define(node.name, emitActivation(ctx, node, 'Relu6', result(x.name), undefined, out));
  } else if (node.op === 'Square') {
    ctx.define(node.name, result(ctx.builder.emit('Mul', [x.name, x.name], out)));
  } else if (node.op === 'Rsqrt') {
    const root = ctx.builder.emit('Sqrt', [x.name], `${node.name}/sqrt`);
    ctx.define(node.name, result(ctx.builder.emit('Reciprocal', [root], out)));
  } else {
    throw unsupported(node, 'is not an element-wise op');
  }
}
