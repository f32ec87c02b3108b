/** The U-Net architecture as numbers: `sd15` is Stable Diffusion 1.5, `tiny` the same code at CI size. */
export interface UNetConfig {
  inChannels: number;
  outChannels: number;
  modelChannels: number;
  /** Channel multiplier per level; a Downsample separates consecutive levels. */
  channelMult: readonly number[];
  numResBlocks: number;
  /** Levels (0-based) whose blocks carry a SpatialTransformer; the middle block always does. */
  attentionLevels: readonly number[];
  numHeads: number;
  /** Width of the context tokens (f_SD) the cross-attention reads. */
  contextWidth: number;
  normGroups: number;
}

export const SD15_UNET: UNetConfig = {
  inChannels: 4,
  outChannels: 4,
  modelChannels: 320,
  channelMult: [1, 2, 4, 4],
  numResBlocks: 2,
  attentionLevels: [0, 1, 2],
  numHeads: 8,
  contextWidth: 768,
  normGroups: 32,
};

export const TINY_UNET: UNetConfig = {
  inChannels: 4,
  outChannels: 4,
  modelChannels: 32,
  channelMult: [1, 2],
  numResBlocks: 1,
  attentionLevels: [0, 1],
  numHeads: 2,
  contextWidth: 64,
  normGroups: 8,
};

/** Latent pixels per U-Net input: h and w must be multiples of this. */
export function unetSizeMultiple(config: UNetConfig): number {
  return 2 ** (config.channelMult.length - 1);
}
