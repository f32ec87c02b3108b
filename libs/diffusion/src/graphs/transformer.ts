/**
 * SD 1.5's SpatialTransformer (GroupNorm, 1×1 proj_in, BasicTransformerBlocks, 1×1 proj_out, residual) and
 * the Facial Representation Controller that extends each block: after the frozen self- and cross-attention,
 * v = v + ZeroConv(CrossAttn_ft(LayerNorm(v), f_SD)). With the ZeroConv at zero the block is exactly SD's.
 */
import type { WeightScope } from '../weights/weight-source';
import { ZEROS, type Net, type Value } from './net';

export interface AttentionShape {
  width: number;
  contextWidth: number;
  heads: number;
}

/** SD's CrossAttention: to_q/to_k/to_v without bias, to_out.0 with bias. `context` = null is self-attention. */
export function crossAttention(net: Net, scope: WeightScope, x: Value, context: Value | null, shape: AttentionShape): Value {
  const kvSource = context ?? x;
  const kvWidth = context === null ? shape.width : shape.contextWidth;
  const q = net.linear(scope.child('to_q'), x, shape.width, shape.width, false);
  const k = net.linear(scope.child('to_k'), kvSource, kvWidth, shape.width, false);
  const v = net.linear(scope.child('to_v'), kvSource, kvWidth, shape.width, false);
  const attended = net.attention(q, k, v, shape.heads, shape.width, scope.prefix.slice(0, -1));
  return net.linear(scope.child('to_out').child('0'), attended, shape.width, shape.width);
}

/** GEGLU feed-forward: proj to 2·4·width, value half times GELU(gate half), then back to width. */
function feedForward(net: Net, scope: WeightScope, x: Value, width: number): Value {
  const inner = 4 * width;
  const projected = net.linear(scope.child('net').child('0').child('proj'), x, width, 2 * inner);
  const value = net.op('Slice', [projected, net.ints([0]), net.ints([inner]), net.ints([-1])], `${scope.prefix}value`);
  const gate = net.op('Slice', [projected, net.ints([inner]), net.ints([2 * inner]), net.ints([-1])], `${scope.prefix}gate`);
  return net.linear(scope.child('net').child('2'), net.mul(value, net.gelu(gate)), inner, width);
}

/** The FRC step on tokens v [B, HW, C]; its own norm, cross-attention and zero-initialised projection. */
export function facialRepresentationController(net: Net, scope: WeightScope, v: Value, context: Value, shape: AttentionShape): Value {
  const attended = crossAttention(net, scope.child('attn'), net.layerNorm(scope.child('norm'), v, shape.width), context, shape);
  const zeroConv = net.linear(scope.child('zero_conv'), attended, shape.width, shape.width, true, ZEROS);
  return net.add(v, zeroConv, `${scope.prefix}residual`);
}

function basicTransformerBlock(net: Net, scope: WeightScope, frc: WeightScope | null, x: Value, context: Value, shape: AttentionShape): Value {
  let h = net.add(x, crossAttention(net, scope.child('attn1'), net.layerNorm(scope.child('norm1'), x, shape.width), null, shape));
  h = net.add(h, crossAttention(net, scope.child('attn2'), net.layerNorm(scope.child('norm2'), h, shape.width), context, shape));
  if (frc) h = facialRepresentationController(net, frc, h, context, shape);
  return net.add(h, feedForward(net, scope.child('ff'), net.layerNorm(scope.child('norm3'), h, shape.width), shape.width));
}

/**
 * x [B, C, H, W] → same shape. `frc` is the FaceX scope for this transformer (keys `<path>.transformer_blocks.0.*`)
 * or null for the plain SD block.
 */
export function spatialTransformer(
  net: Net,
  scope: WeightScope,
  frc: WeightScope | null,
  x: Value,
  context: Value,
  shape: AttentionShape,
  groups: number,
): Value {
  const { width } = shape;
  const normed = net.groupNorm(scope.child('norm'), x, width, groups, 1e-6);
  const projected = net.conv2d(scope.child('proj_in'), normed, { inChannels: width, outChannels: width, kernel: 1 });
  const tokens = net.transpose(net.reshape(projected, [0, width, -1]), [0, 2, 1]);
  const blockScope = scope.child('transformer_blocks').child('0');
  const out = basicTransformerBlock(net, blockScope, frc && frc.child('transformer_blocks').child('0'), tokens, context, shape);
  const grid = net.op('Reshape', [net.transpose(out, [0, 2, 1]), net.op('Shape', [x], `${x}/shape`)], `${scope.prefix}grid`);
  return net.add(x, net.conv2d(scope.child('proj_out'), grid, { inChannels: width, outChannels: width, kernel: 1 }), `${scope.prefix}residual`);
}
