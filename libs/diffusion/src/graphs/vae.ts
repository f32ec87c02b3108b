/**
 * The SD KL-f8 autoencoder (ldm layout and key names under `first_stage_model.`: `encoder.down.I.block.J`,
 * `encoder.mid.block_1/attn_1/block_2`, `quant_conv`, `post_quant_conv`, `decoder.up.I...`).
 * Encoder: image float32 [B, 3, H, W] in [-1, 1] → latents [B, 4, H/f, W/f], the posterior mean times the
 * scaling factor (deterministic, what img2img and the inpainting reference need).
 * Decoder: latents → image in [-1, 1] (unclamped).
 */
import type { InitializerStore } from '@facex/onnx';
import type { WeightScope } from '../weights/weight-source';
import type { GraphOptions } from './graph-options';
import { Net, type Value } from './net';
import type { BuiltGraph } from './unet';

export interface VaeConfig {
  imageChannels: number;
  latentChannels: number;
  baseChannels: number;
  /** One entry per resolution level; f = 2^(levels - 1). */
  channelMult: readonly number[];
  numResBlocks: number;
  normGroups: number;
  scalingFactor: number;
}

export const SD15_VAE: VaeConfig = {
  imageChannels: 3,
  latentChannels: 4,
  baseChannels: 128,
  channelMult: [1, 2, 4, 4],
  numResBlocks: 2,
  normGroups: 32,
  scalingFactor: 0.18215,
};
export const TINY_VAE: VaeConfig = {
  imageChannels: 3,
  latentChannels: 4,
  baseChannels: 16,
  channelMult: [1, 1, 2, 2],
  numResBlocks: 1,
  normGroups: 8,
  scalingFactor: 0.18215,
};

export const VAE_ENCODER_IO = { input: 'image', output: 'latents' } as const;
export const VAE_DECODER_IO = { input: 'latents', output: 'image' } as const;

export function vaeDownsampleFactor(config: VaeConfig): number {
  return 2 ** (config.channelMult.length - 1);
}

const EPSILON = 1e-6;

function resnetBlock(net: Net, scope: WeightScope, x: Value, inChannels: number, outChannels: number, groups: number): Value {
  let h = net.silu(net.groupNorm(scope.child('norm1'), x, inChannels, groups, EPSILON));
  h = net.conv2d(scope.child('conv1'), h, { inChannels, outChannels, kernel: 3 });
  h = net.silu(net.groupNorm(scope.child('norm2'), h, outChannels, groups, EPSILON));
  h = net.conv2d(scope.child('conv2'), h, { inChannels: outChannels, outChannels, kernel: 3 });
  const skip = inChannels === outChannels ? x : net.conv2d(scope.child('nin_shortcut'), x, { inChannels, outChannels, kernel: 1 });
  return net.add(skip, h, `${scope.prefix}out`);
}

/** Single-head self-attention over all pixels, with 1×1 convs for q, k, v and the output projection. */
function attentionBlock(net: Net, scope: WeightScope, x: Value, channels: number, groups: number): Value {
  const normed = net.groupNorm(scope.child('norm'), x, channels, groups, EPSILON);
  const tokens = (name: string): Value => {
    const projected = net.conv2d(scope.child(name), normed, { inChannels: channels, outChannels: channels, kernel: 1 });
    return net.transpose(net.reshape(projected, [0, channels, -1]), [0, 2, 1]);
  };
  const attended = net.attention(tokens('q'), tokens('k'), tokens('v'), 1, channels, scope.prefix.slice(0, -1));
  const grid = net.op('Reshape', [net.transpose(attended, [0, 2, 1]), net.op('Shape', [x], `${x}/shape`)], `${scope.prefix}grid`);
  return net.add(x, net.conv2d(scope.child('proj_out'), grid, { inChannels: channels, outChannels: channels, kernel: 1 }), `${scope.prefix}residual`);
}

function middle(net: Net, scope: WeightScope, x: Value, channels: number, groups: number): Value {
  const h = resnetBlock(net, scope.child('block_1'), x, channels, channels, groups);
  return resnetBlock(net, scope.child('block_2'), attentionBlock(net, scope.child('attn_1'), h, channels, groups), channels, channels, groups);
}

function finish(net: Net, scope: WeightScope, x: Value, inChannels: number, outChannels: number, groups: number): Value {
  const h = net.silu(net.groupNorm(scope.child('norm_out'), x, inChannels, groups, EPSILON));
  return net.conv2d(scope.child('conv_out'), h, { inChannels, outChannels, kernel: 3 });
}

const encodeModel = (net: Net, name: string): Uint8Array => net.builder.encode({ graphName: name, producerName: 'facex-diffusion', producerVersion: '1' });

/** `root` is the autoencoder scope, e.g. `first_stage_model.` in an SD checkpoint. */
export function buildVaeEncoderGraph(config: VaeConfig, root: WeightScope, options: GraphOptions, store?: InitializerStore): BuiltGraph {
  const net = new Net(options, store);
  const scope = root.child('encoder');
  const { baseChannels: ch, normGroups: groups } = config;
  const image = net.input(VAE_ENCODER_IO.input, ['batch', config.imageChannels, 'height', 'width']);
  let h = net.conv2d(scope.child('conv_in'), image, { inChannels: config.imageChannels, outChannels: ch, kernel: 3 });
  let channels = ch;
  config.channelMult.forEach((mult, level) => {
    const down = scope.child('down').child(String(level));
    for (let j = 0; j < config.numResBlocks; j++) {
      h = resnetBlock(net, down.child('block').child(String(j)), h, channels, ch * mult, groups);
      channels = ch * mult;
    }
    // ldm pads right and bottom by one, then convolves 3×3 at stride 2 without padding.
    if (level < config.channelMult.length - 1)
      h = net.conv2d(down.child('downsample').child('conv'), h, { inChannels: channels, outChannels: channels, kernel: 3, stride: 2, pads: [0, 0, 1, 1] });
  });
  h = middle(net, scope.child('mid'), h, channels, groups);
  const moments = 2 * config.latentChannels;
  h = finish(net, scope, h, channels, moments, groups);
  h = net.conv2d(root.child('quant_conv'), h, { inChannels: moments, outChannels: moments, kernel: 1 });
  const mean = net.op('Slice', [h, net.ints([0]), net.ints([config.latentChannels]), net.ints([1])], 'posterior_mean');
  net.output(VAE_ENCODER_IO.output, net.mul(mean, net.scalar(config.scalingFactor), 'scaled_latents'), [
    'batch',
    config.latentChannels,
    'latent_height',
    'latent_width',
  ]);
  return { model: encodeModel(net, 'facex-vae-encoder'), parameterCount: net.parameterCount };
}

export function buildVaeDecoderGraph(config: VaeConfig, root: WeightScope, options: GraphOptions, store?: InitializerStore): BuiltGraph {
  const net = new Net(options, store);
  const scope = root.child('decoder');
  const { baseChannels: ch, normGroups: groups, latentChannels } = config;
  const latents = net.input(VAE_DECODER_IO.input, ['batch', latentChannels, 'latent_height', 'latent_width']);
  const unscaled = net.mul(latents, net.scalar(1 / config.scalingFactor), 'unscaled_latents');
  let h = net.conv2d(root.child('post_quant_conv'), unscaled, { inChannels: latentChannels, outChannels: latentChannels, kernel: 1 });
  let channels = ch * (config.channelMult[config.channelMult.length - 1] as number);
  h = net.conv2d(scope.child('conv_in'), h, { inChannels: latentChannels, outChannels: channels, kernel: 3 });
  h = middle(net, scope.child('mid'), h, channels, groups);
  const upScales = net.builder.addFloatInitializer('upsample/scales', [4], Float32Array.of(1, 1, 2, 2));
  for (let level = config.channelMult.length - 1; level >= 0; level--) {
    const up = scope.child('up').child(String(level));
    const outChannels = ch * (config.channelMult[level] as number);
    for (let j = 0; j <= config.numResBlocks; j++) {
      h = resnetBlock(net, up.child('block').child(String(j)), h, channels, outChannels, groups);
      channels = outChannels;
    }
    if (level > 0) {
      const upsampled = net.op('Resize', [h, '', upScales], `${up.prefix}upsample`, {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      });
      h = net.conv2d(up.child('upsample').child('conv'), upsampled, { inChannels: channels, outChannels: channels, kernel: 3 });
    }
  }
  h = finish(net, scope, h, channels, config.imageChannels, groups);
  net.output(VAE_DECODER_IO.output, h, ['batch', config.imageChannels, 'height', 'width']);
  return { model: encodeModel(net, 'facex-vae-decoder'), parameterCount: net.parameterCount };
}
