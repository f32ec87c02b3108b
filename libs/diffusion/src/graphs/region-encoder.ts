/**
 * The region encoder: a CLIP ViT vision tower (Hugging Face CLIPVisionModel key names under `vision_model.`),
 * a learnable FPN adapter over several of its layers, and mask pooling: one feature per region mask.
 * Inputs: image float32 [B, 3, S, S] RGB in [0, 1] (the graph applies CLIP's mean/std), masks float32
 * [B, R, Hm, Wm] soft masks in [0, 1] of any size. Output: region_features float32 [B, R, outputWidth].
 */
import { REGION_TOKEN_WIDTH } from '@facex/assemblers';
import { FacexError } from '@facex/contracts';
import type { InitializerStore } from '@facex/onnx';
import type { WeightScope } from '../weights/weight-source';
import type { GraphOptions } from './graph-options';
import { Net, type Value } from './net';
import type { BuiltGraph } from './unet';

export interface ClipVisionConfig {
  imageSize: number;
  patchSize: number;
  hiddenWidth: number;
  layers: number;
  heads: number;
  mlpWidth: number;
  activation: 'quick_gelu' | 'gelu';
}

export interface FpnConfig {
  /** Encoder layers (1-based, as Hugging Face's hidden_states index) the pyramid reads, shallow to deep. */
  featureLayers: readonly number[];
  width: number;
  /** Width of each region's output feature (the token slot width the Representation Adapter reads). */
  outputWidth: number;
}

export interface RegionEncoderConfig {
  clip: ClipVisionConfig;
  fpn: FpnConfig;
}

/** CLIP ViT-L/14 at 224 px. */
export const SD15_REGION_ENCODER: RegionEncoderConfig = {
  clip: { imageSize: 224, patchSize: 14, hiddenWidth: 1024, layers: 24, heads: 16, mlpWidth: 4096, activation: 'quick_gelu' },
  fpn: { featureLayers: [6, 12, 18, 24], width: 256, outputWidth: REGION_TOKEN_WIDTH },
};

export const TINY_REGION_ENCODER: RegionEncoderConfig = {
  clip: { imageSize: 32, patchSize: 8, hiddenWidth: 32, layers: 2, heads: 2, mlpWidth: 64, activation: 'quick_gelu' },
  fpn: { featureLayers: [1, 2], width: 16, outputWidth: REGION_TOKEN_WIDTH },
};

export const REGION_ENCODER_INPUTS = { image: 'image', masks: 'masks' } as const;
export const REGION_ENCODER_OUTPUT = 'region_features';

/** CLIP's image normalisation (per RGB channel). */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

const EMBEDDING_INIT = { kind: 'normal', std: 0.02 } as const;
/** Keeps empty masks from dividing by zero; an empty region pools to zeros. */
const MASK_EPSILON = 1e-6;

function clipAttention(net: Net, scope: WeightScope, x: Value, width: number, heads: number): Value {
  const project = (name: string): Value => net.linear(scope.child(name), x, width, width);
  const attended = net.attention(project('q_proj'), project('k_proj'), project('v_proj'), heads, width, scope.prefix.slice(0, -1));
  return net.linear(scope.child('out_proj'), attended, width, width);
}

function clipLayer(net: Net, scope: WeightScope, x: Value, clip: ClipVisionConfig): Value {
  const width = clip.hiddenWidth;
  const h = net.add(x, clipAttention(net, scope.child('self_attn'), net.layerNorm(scope.child('layer_norm1'), x, width), width, clip.heads));
  const fc1 = net.linear(scope.child('mlp').child('fc1'), net.layerNorm(scope.child('layer_norm2'), h, width), width, clip.mlpWidth);
  const activated = clip.activation === 'quick_gelu' ? net.quickGelu(fc1) : net.gelu(fc1);
  return net.add(h, net.linear(scope.child('mlp').child('fc2'), activated, clip.mlpWidth, width), `${scope.prefix}out`);
}

/** The vision tower's hidden states after each layer in `wanted` (1-based), as [B, D, g, g] grids. */
function clipFeatureGrids(net: Net, scope: WeightScope, image: Value, clip: ClipVisionConfig, wanted: readonly number[]): Value[] {
  const width = clip.hiddenWidth;
  const grid = clip.imageSize / clip.patchSize;
  const embeddings = scope.child('embeddings');
  const mean = net.builder.addFloatInitializer('clip/mean', [1, 3, 1, 1], Float32Array.from(CLIP_MEAN), net.computeType);
  const invStd = net.builder.addFloatInitializer(
    'clip/inv_std',
    [1, 3, 1, 1],
    Float32Array.from(CLIP_STD, (s) => 1 / s),
    net.computeType,
  );
  const normalised = net.mul(net.op('Sub', [image, mean], 'clip/centred'), invStd, 'clip/normalised');
  const patches = net.conv2d(embeddings.child('patch_embedding'), normalised, {
    inChannels: 3,
    outChannels: width,
    kernel: clip.patchSize,
    stride: clip.patchSize,
    pads: [0, 0, 0, 0],
    bias: false,
  });
  const patchTokens = net.transpose(net.reshape(patches, [0, width, -1]), [0, 2, 1]);
  const classEmbedding = net.param(embeddings, 'class_embedding', [width], EMBEDDING_INIT, { dims: [1, 1, width], reorder: (d) => d });
  // The class token is batch-independent: broadcast it with a zero slice of the patch tokens.
  const zeroRow = net.mul(net.op('Slice', [patchTokens, net.ints([0]), net.ints([1]), net.ints([1])], 'clip/first_patch'), net.scalar(0));
  const classToken = net.add(zeroRow, classEmbedding, 'clip/class_token');
  const positions = net.param(embeddings.child('position_embedding'), 'weight', [grid * grid + 1, width], EMBEDDING_INIT);
  let h = net.add(net.op('Concat', [classToken, patchTokens], 'clip/tokens', { axis: 1 }), positions, 'clip/embedded');
  h = net.layerNorm(scope.child('pre_layrnorm'), h, width);
  const grids: Value[] = [];
  const deepest = Math.max(...wanted);
  for (let layer = 1; layer <= deepest; layer++) {
    h = clipLayer(
      net,
      scope
        .child('encoder')
        .child('layers')
        .child(String(layer - 1)),
      h,
      clip,
    );
    if (wanted.includes(layer)) {
      const withoutClass = net.op('Slice', [h, net.ints([1]), net.ints([grid * grid + 1]), net.ints([1])], `clip/layer${layer}/patches`);
      grids.push(net.reshape(net.transpose(withoutClass, [0, 2, 1]), [0, width, grid, grid], `clip/layer${layer}/grid`));
    }
  }
  return grids;
}

/** Scale of pyramid level k of L relative to the ViT grid: ×4, ×2, ×1, ×½ for four levels (shallow = finest). */
function levelScale(level: number, levels: number): number {
  return 2 ** (levels - 2 - level);
}

function resizeBy(net: Net, x: Value, scale: number, base: string): Value {
  if (scale === 1) return x;
  const scales = net.builder.addFloatInitializer(`${base}/scales`, [4], Float32Array.of(1, 1, scale, scale));
  return net.op('Resize', [x, '', scales], base, { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
}

/** Mask-weighted mean of `features` [B, F, g, g] under each mask of [B, R, Hm, Wm] resized to g×g: [B, R, F]. */
function maskPool(net: Net, features: Value, masks: Value, grid: number, base: string): Value {
  const leading = net.op('Shape', [masks], `${base}/mask_leading`, { start: 0, end: 2 });
  const sizes = net.op('Concat', [leading, net.ints([grid, grid])], `${base}/mask_sizes`, { axis: 0 });
  const resized = net.op('Resize', [masks, '', '', sizes], `${base}/masks`, { mode: 'linear' });
  const weights = net.reshape(resized, [0, 0, -1], `${base}/mask_weights`);
  const flat = net.transpose(net.reshape(features, [0, 0, -1], `${base}/flat_features`), [0, 2, 1]);
  const sums = net.op('MatMul', [weights, flat], `${base}/weighted_sums`);
  const area = net.add(net.op('ReduceSum', [weights, net.ints([2])], `${base}/area`, { keepdims: 1 }), net.scalar(MASK_EPSILON));
  return net.op('Div', [sums, area], `${base}/pooled`);
}

function fpnAdapter(net: Net, scope: WeightScope, grids: Value[], masks: Value, config: RegionEncoderConfig): Value {
  const { fpn, clip } = config;
  const levels = grids.length;
  const vitGrid = clip.imageSize / clip.patchSize;
  const laterals = grids.map((grid, k) => {
    const lateral = net.conv2d(scope.child('lateral').child(String(k)), grid, { inChannels: clip.hiddenWidth, outChannels: fpn.width, kernel: 1 });
    return resizeBy(net, lateral, levelScale(k, levels), `${scope.prefix}lateral.${k}/resized`);
  });
  // Top-down pathway: each level adds the (2× upsampled) coarser level below it.
  const merged: Value[] = new Array<Value>(levels);
  merged[levels - 1] = laterals[levels - 1] as Value;
  for (let k = levels - 2; k >= 0; k--) {
    merged[k] = net.add(laterals[k] as Value, resizeBy(net, merged[k + 1] as Value, 2, `${scope.prefix}topdown.${k}`), `${scope.prefix}merged.${k}`);
  }
  const pooled = merged.map((level, k) => {
    const output = net.conv2d(scope.child('output').child(String(k)), level, { inChannels: fpn.width, outChannels: fpn.width, kernel: 3 });
    return maskPool(net, output, masks, vitGrid * levelScale(k, levels), `${scope.prefix}pool.${k}`);
  });
  const features = levels === 1 ? (pooled[0] as Value) : net.op('Concat', pooled, `${scope.prefix}pooled`, { axis: 2 });
  return net.linear(scope.child('proj'), features, levels * fpn.width, fpn.outputWidth);
}

/** `clipRoot` is the CLIPVisionModel scope (`vision_model.`); `fpnRoot` the FaceX one (`region_encoder.fpn.`). */
export function buildRegionEncoderGraph(
  config: RegionEncoderConfig,
  clipRoot: WeightScope,
  fpnRoot: WeightScope,
  options: GraphOptions,
  store?: InitializerStore,
): BuiltGraph {
  const { clip } = config;
  if (
    clip.imageSize % clip.patchSize !== 0 ||
    levelScale(config.fpn.featureLayers.length - 1, config.fpn.featureLayers.length) * (clip.imageSize / clip.patchSize) < 1
  ) {
    throw new FacexError(
      'model_pack_invalid',
      'region encoder config: clip.imageSize must be a multiple of clip.patchSize and the coarsest FPN level at least one cell',
      { field: 'clip.imageSize' },
    );
  }
  const net = new Net(options, store);
  const image = net.input(REGION_ENCODER_INPUTS.image, ['batch', 3, clip.imageSize, clip.imageSize]);
  const masks = net.input(REGION_ENCODER_INPUTS.masks, ['batch', 'regions', 'mask_height', 'mask_width']);
  const grids = clipFeatureGrids(net, clipRoot, image, clip, config.fpn.featureLayers);
  const features = fpnAdapter(net, fpnRoot, grids, masks, config);
  net.output(REGION_ENCODER_OUTPUT, features, ['batch', 'regions', config.fpn.outputWidth]);
  return {
    model: net.builder.encode({ graphName: 'facex-region-encoder', producerName: 'facex-diffusion', producerVersion: '1' }),
    parameterCount: net.parameterCount,
  };
}
