/**
 * The SD 1.5 U-Net (openai/ldm layout and key names: `input_blocks.N.M`, `middle_block`, `output_blocks`,
 * `time_embed`, `out`) with optional FRC layers, as an ONNX graph.
 * Inputs: latents float32 [B, 4, h, w], timesteps float32 [B] (one per sample), context float32 [B, T, C]
 * (f_SD). Output: noise float32 [B, 4, h, w]. B, h, w and T are dynamic (h, w multiples of unetSizeMultiple).
 */
import type { InitializerStore } from '@facex/onnx';
import type { WeightScope } from '../weights/weight-source';
import type { GraphOptions } from './graph-options';
import { Net, type Value } from './net';
import { spatialTransformer } from './transformer';
import type { UNetConfig } from './unet-config';

export const UNET_INPUTS = { latents: 'latents', timesteps: 'timesteps', context: 'context' } as const;
export const UNET_OUTPUT = 'noise';

export interface UNetWeights {
  /** The frozen U-Net, e.g. `model.diffusion_model.` in an SD checkpoint. */
  unet: WeightScope;
  /** The FRC layers (`frc.` in the FaceX file), or null for the plain U-Net. */
  frc: WeightScope | null;
}

export interface BuiltGraph {
  model: Uint8Array;
  parameterCount: number;
}

/** SD's sinusoidal embedding: [cos(t·f), sin(t·f)] with f_i = 10000^(-i/half), computed in float32. */
function timestepEmbedding(net: Net, timesteps: Value, width: number): Value {
  const half = width / 2;
  const frequencies = Float32Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const freqs = net.builder.addFloatInitializer('time_embed/frequencies', [1, half], frequencies);
  const args = net.op('Mul', [net.op('Unsqueeze', [timesteps, net.ints([1])], 'timesteps/column'), freqs], 'time_embed/args');
  const embedding = net.op('Concat', [net.op('Cos', [args], 'time_embed/cos'), net.op('Sin', [args], 'time_embed/sin')], 'time_embed/sinusoid', { axis: 1 });
  return net.computeType === 'float32' ? embedding : net.cast(embedding, 'float16');
}

interface UNetContext {
  net: Net;
  config: UNetConfig;
  /** SiLU(time embedding), shared by every ResBlock's emb_layers. */
  activeEmbedding: Value;
  context: Value;
  frc: WeightScope | null;
}

function resBlock(u: UNetContext, scope: WeightScope, x: Value, inChannels: number, outChannels: number): Value {
  const { net, config } = u;
  const groups = config.normGroups;
  let h = net.silu(net.groupNorm(scope.child('in_layers').child('0'), x, inChannels, groups, 1e-5));
  h = net.conv2d(scope.child('in_layers').child('2'), h, { inChannels, outChannels, kernel: 3 });
  const embedding = net.linear(scope.child('emb_layers').child('1'), u.activeEmbedding, 4 * config.modelChannels, outChannels);
  h = net.add(h, net.op('Unsqueeze', [embedding, net.ints([2, 3])], `${scope.prefix}emb`));
  h = net.silu(net.groupNorm(scope.child('out_layers').child('0'), h, outChannels, groups, 1e-5));
  h = net.conv2d(scope.child('out_layers').child('3'), h, { inChannels: outChannels, outChannels, kernel: 3 });
  const skip = inChannels === outChannels ? x : net.conv2d(scope.child('skip_connection'), x, { inChannels, outChannels, kernel: 1 });
  return net.add(skip, h, `${scope.prefix}out`);
}

function transformer(u: UNetContext, scope: WeightScope, path: string[], x: Value, channels: number): Value {
  const frc = u.frc && path.reduce((s, part) => s.child(part), u.frc);
  const shape = { width: channels, contextWidth: u.config.contextWidth, heads: u.config.numHeads };
  return spatialTransformer(u.net, scope, frc, x, u.context, shape, u.config.normGroups);
}

export function buildUNetGraph(config: UNetConfig, weights: UNetWeights, options: GraphOptions, store?: InitializerStore): BuiltGraph {
  const net = new Net(options, store);
  const root = weights.unet;
  const mc = config.modelChannels;
  const latents = net.input(UNET_INPUTS.latents, ['batch', config.inChannels, 'height', 'width']);
  net.builder.addInput(UNET_INPUTS.timesteps, ['batch']);
  const context = net.input(UNET_INPUTS.context, ['batch', 'tokens', config.contextWidth]);

  const timeScope = root.child('time_embed');
  const hidden = net.linear(timeScope.child('0'), timestepEmbedding(net, UNET_INPUTS.timesteps, mc), mc, 4 * mc);
  const embedding = net.linear(timeScope.child('2'), net.silu(hidden), 4 * mc, 4 * mc);
  const u: UNetContext = { net, config, activeEmbedding: net.silu(embedding), context, frc: weights.frc };

  const inputScope = (i: number): WeightScope => root.child('input_blocks').child(String(i));
  let h = net.conv2d(inputScope(0).child('0'), latents, { inChannels: config.inChannels, outChannels: mc, kernel: 3 });
  let channels = mc;
  const skips: Array<{ value: Value; channels: number }> = [{ value: h, channels }];
  let block = 1;
  config.channelMult.forEach((mult, level) => {
    for (let r = 0; r < config.numResBlocks; r++, block++) {
      h = resBlock(u, inputScope(block).child('0'), h, channels, mult * mc);
      channels = mult * mc;
      if (config.attentionLevels.includes(level)) h = transformer(u, inputScope(block).child('1'), ['input_blocks', String(block), '1'], h, channels);
      skips.push({ value: h, channels });
    }
    if (level < config.channelMult.length - 1) {
      h = net.conv2d(inputScope(block).child('0').child('op'), h, { inChannels: channels, outChannels: channels, kernel: 3, stride: 2 });
      skips.push({ value: h, channels });
      block++;
    }
  });

  const middle = root.child('middle_block');
  h = resBlock(u, middle.child('0'), h, channels, channels);
  h = transformer(u, middle.child('1'), ['middle_block', '1'], h, channels);
  h = resBlock(u, middle.child('2'), h, channels, channels);

  const upScales = net.builder.addFloatInitializer('upsample/scales', [4], Float32Array.of(1, 1, 2, 2));
  block = 0;
  for (let level = config.channelMult.length - 1; level >= 0; level--) {
    const outChannels = (config.channelMult[level] as number) * mc;
    for (let r = 0; r <= config.numResBlocks; r++, block++) {
      const scope = root.child('output_blocks').child(String(block));
      const skip = skips.pop() as { value: Value; channels: number };
      h = net.op('Concat', [h, skip.value], `${scope.prefix}concat`, { axis: 1 });
      h = resBlock(u, scope.child('0'), h, channels + skip.channels, outChannels);
      channels = outChannels;
      let layer = 1;
      if (config.attentionLevels.includes(level)) h = transformer(u, scope.child(String(layer++)), ['output_blocks', String(block), '1'], h, channels);
      if (level > 0 && r === config.numResBlocks) {
        const upsampled = net.op('Resize', [h, '', upScales], `${scope.prefix}upsample`, {
          mode: 'nearest',
          coordinate_transformation_mode: 'asymmetric',
          nearest_mode: 'floor',
        });
        h = net.conv2d(scope.child(String(layer)).child('conv'), upsampled, { inChannels: channels, outChannels: channels, kernel: 3 });
      }
    }
  }

  const out = root.child('out');
  h = net.silu(net.groupNorm(out.child('0'), h, channels, config.normGroups, 1e-5));
  h = net.conv2d(out.child('2'), h, { inChannels: channels, outChannels: config.outChannels, kernel: 3 });
  net.output(UNET_OUTPUT, h, ['batch', config.outChannels, 'height', 'width']);
  return { model: net.builder.encode({ graphName: 'facex-unet', producerName: 'facex-diffusion', producerVersion: '1' }), parameterCount: net.parameterCount };
}
