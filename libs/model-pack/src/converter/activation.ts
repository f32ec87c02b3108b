/** Activations, standalone or fused into _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul. */
import type { ConversionContext, OnnxValue } from './conversion-context';
import { attrFloat, unsupported, type TfjsNode } from './tfjs-graph-model';

/** Clip(x, lo, hi) with the bounds as scalar initializers (opset >= 11). */
function emitClip(ctx: ConversionContext, input: OnnxValue, low: number, high: number, base: string): OnnxValue {
  const lo = ctx.builder.addFloatInitializer(`${base}/min`, [], Float32Array.of(low));
  const hi = ctx.builder.addFloatInitializer(`${base}/max`, [], Float32Array.of(high));
  return { ...input, name: ctx.builder.emit('Clip', [input.name, lo, hi], base) };
}

/**
 * Applies the activation `kind` to `input`. `alphaRef` is the PReLU slope constant (the extra fused argument).
 */
export function emitActivation(ctx: ConversionContext, node: TfjsNode, kind: string, input: OnnxValue, alphaRef: string | undefined, base: string): OnnxValue {
  const emit = (op: string, attrs = {}): OnnxValue => ({ ...input, name: ctx.builder.emit(op, [input.name], base, attrs) });
  switch (kind) {
    case 'Relu':
    case 'Sigmoid':
    case 'Tanh':
    case 'Elu':
      return emit(kind);
    case 'Relu6':
      return emitClip(ctx, input, 0, 6, base);
    case 'LeakyRelu':
      return emit('LeakyRelu', { alpha: { float: attrFloat(node, 'leakyrelu_alpha', 0.2) } });
    case 'Prelu': {
      if (!alphaRef) throw unsupported(node, 'Prelu needs an alpha argument');
      const alpha = ctx.constValue(node, alphaRef, input.layout);
      return { ...input, name: ctx.builder.emit('PRelu', [input.name, alpha.name], base) };
    }
    default:
      throw unsupported(node, `activation '${kind}' is not supported`);
  }
}
