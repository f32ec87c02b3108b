/** The two pack sizes: the same graph code with SD 1.5 numbers or CI numbers. */
import { SD15_FORS, TINY_FORS, type ForsConfig } from '../graphs/fors';
import { SD15_REGION_ENCODER, TINY_REGION_ENCODER, type RegionEncoderConfig } from '../graphs/region-encoder';
import { SD15_UNET, TINY_UNET, type UNetConfig } from '../graphs/unet-config';
import { SD15_VAE, TINY_VAE, type VaeConfig } from '../graphs/vae';

export const PACK_SIZES = ['tiny', 'sd15'] as const;
export type PackSize = (typeof PACK_SIZES)[number];

export interface DiffusionArchitecture {
  unet: UNetConfig;
  vae: VaeConfig;
  fors: ForsConfig;
  regionEncoder: RegionEncoderConfig;
  /** Write initializers to `<model>.onnx.data` (needed above protobuf's 2 GB, and keeps building streaming). */
  externalData: boolean;
}

export const DIFFUSION_ARCHITECTURES: Record<PackSize, DiffusionArchitecture> = {
  tiny: { unet: TINY_UNET, vae: TINY_VAE, fors: TINY_FORS, regionEncoder: TINY_REGION_ENCODER, externalData: false },
  sd15: { unet: SD15_UNET, vae: SD15_VAE, fors: SD15_FORS, regionEncoder: SD15_REGION_ENCODER, externalData: true },
};
