/**
 * The FORS adapters as one graph, producing the U-Net's context tokens f_SD:
 * - Representation Adapter: one Linear per token slot (the assembler's TokenLayout) to the context width,
 *   gated by the slot's presence, plus a learned slot embedding, so each component is one token;
 * - inpainting-reference encoder: a conv stack over the VAE latents of I^R, pooled to a fixed number of
 *   tokens by learned queries (cross-attention, so any latent size works);
 * - SD Adapter: pre-norm transformer layers mixing the component and reference tokens.
 * Inputs: tokens float32 [B, totalWidth] (packed), slot_present float32 [B, S] (1 present, 0 absent),
 * reference_latents float32 [B, 4, h, w]. Output: context float32 [B, S + K, C].
 */
import type { TokenLayout } from '@facex/assemblers';
import type { InitializerStore } from '@facex/onnx';
import type { WeightScope } from '../weights/weight-source';
import type { GraphOptions } from './graph-options';
import { Net, type Value } from './net';
import { crossAttention } from './transformer';
import type { BuiltGraph } from './unet';

export interface ForsConfig {
  /** The U-Net's context width. */
  contextWidth: number;
  latentChannels: number;
  /** Output channels of each 3×3 conv of the reference encoder; every conv after the first has stride 2. */
  referenceChannels: readonly number[];
  referenceTokens: number;
  heads: number;
  mixerLayers: number;
}

export const SD15_FORS: ForsConfig = {
  contextWidth: 768,
  latentChannels: 4,
  referenceChannels: [128, 256, 512],
  referenceTokens: 16,
  heads: 8,
  mixerLayers: 2,
};
export const TINY_FORS: ForsConfig = { contextWidth: 64, latentChannels: 4, referenceChannels: [16, 32], referenceTokens: 4, heads: 2, mixerLayers: 1 };

export const FORS_INPUTS = { tokens: 'tokens', slotPresent: 'slot_present', referenceLatents: 'reference_latents' } as const;
export const FORS_OUTPUT = 'context';

const EMBEDDING_INIT = { kind: 'normal', std: 0.02 } as const;

/** Number of context tokens FORS emits for a layout: one per slot plus the reference tokens. */
export function forsTokenCount(config: ForsConfig, layout: TokenLayout): number {
  return layout.slots.length + config.referenceTokens;
}

function representationAdapter(net: Net, scope: WeightScope, tokens: Value, present: Value, layout: TokenLayout, width: number): Value {
  const slotEmbedding = net.param(scope, 'slot_embedding', [layout.slots.length, width], EMBEDDING_INIT);
  const perSlot = layout.slots.map((slot, index) => {
    const values = net.op(
      'Slice',
      [tokens, net.ints([slot.offset]), net.ints([slot.offset + slot.width]), net.ints([1])],
      `${scope.prefix}${slot.component}/values`,
    );
    const gate = net.op('Slice', [present, net.ints([index]), net.ints([index + 1]), net.ints([1])], `${scope.prefix}${slot.component}/present`);
    const projected = net.mul(net.linear(scope.child(slot.component), values, slot.width, width), gate);
    const embedding = net.op('Gather', [slotEmbedding, net.ints([index])], `${scope.prefix}${slot.component}/embedding`, { axis: 0 });
    return net.op('Unsqueeze', [net.add(projected, embedding), net.ints([1])], `${scope.prefix}${slot.component}/token`);
  });
  return net.op('Concat', perSlot, `${scope.prefix}tokens`, { axis: 1 });
}

function referenceEncoder(net: Net, scope: WeightScope, latents: Value, config: ForsConfig): Value {
  let h = latents;
  let channels = config.latentChannels;
  config.referenceChannels.forEach((outChannels, i) => {
    h = net.silu(net.conv2d(scope.child('conv').child(String(i)), h, { inChannels: channels, outChannels, kernel: 3, stride: i === 0 ? 1 : 2 }));
    channels = outChannels;
  });
  const width = config.contextWidth;
  h = net.conv2d(scope.child('proj'), h, { inChannels: channels, outChannels: width, kernel: 1 });
  const spatial = net.layerNorm(scope.child('norm'), net.transpose(net.reshape(h, [0, width, -1]), [0, 2, 1]), width);
  const queries = net.param(scope, 'queries', [1, config.referenceTokens, width], EMBEDDING_INIT);
  const batch = net.op('Shape', [latents], `${scope.prefix}batch`, { start: 0, end: 1 });
  const queryShape = net.op('Concat', [batch, net.ints([config.referenceTokens, width])], `${scope.prefix}query_shape`, { axis: 0 });
  const batchedQueries = net.op('Expand', [queries, queryShape], `${scope.prefix}batched_queries`);
  return crossAttention(net, scope.child('pool'), batchedQueries, spatial, { width, contextWidth: width, heads: config.heads });
}

function sdAdapter(net: Net, scope: WeightScope, tokens: Value, config: ForsConfig): Value {
  const width = config.contextWidth;
  let h = tokens;
  for (let i = 0; i < config.mixerLayers; i++) {
    const layer = scope.child('layers').child(String(i));
    h = net.add(
      h,
      crossAttention(net, layer.child('attn'), net.layerNorm(layer.child('norm1'), h, width), null, { width, contextWidth: width, heads: config.heads }),
    );
    const hidden = net.gelu(net.linear(layer.child('mlp').child('fc1'), net.layerNorm(layer.child('norm2'), h, width), width, 4 * width));
    h = net.add(h, net.linear(layer.child('mlp').child('fc2'), hidden, 4 * width, width), `${layer.prefix}out`);
  }
  return net.layerNorm(scope.child('norm_out'), h, width);
}

/** `root` is the FORS scope (`fors.` in the FaceX file). */
export function buildForsGraph(config: ForsConfig, layout: TokenLayout, root: WeightScope, options: GraphOptions, store?: InitializerStore): BuiltGraph {
  const net = new Net(options, store);
  const tokens = net.input(FORS_INPUTS.tokens, ['batch', layout.totalWidth]);
  const present = net.input(FORS_INPUTS.slotPresent, ['batch', layout.slots.length]);
  const latents = net.input(FORS_INPUTS.referenceLatents, ['batch', config.latentChannels, 'latent_height', 'latent_width']);
  const componentTokens = representationAdapter(net, root.child('representation_adapter'), tokens, present, layout, config.contextWidth);
  const referenceTokens = referenceEncoder(net, root.child('reference_encoder'), latents, config);
  const all = net.op('Concat', [componentTokens, referenceTokens], 'fors/all_tokens', { axis: 1 });
  const context = sdAdapter(net, root.child('sd_adapter'), all, config);
  net.output(FORS_OUTPUT, context, ['batch', forsTokenCount(config, layout), config.contextWidth]);
  return { model: net.builder.encode({ graphName: 'facex-fors', producerName: 'facex-diffusion', producerVersion: '1' }), parameterCount: net.parameterCount };
}
