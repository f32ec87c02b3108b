export { DEFAULT_GRAPH_OPTIONS, type GraphOptions } from './graph-options';
export { SD15_UNET, TINY_UNET, unetSizeMultiple, type UNetConfig } from './unet-config';
export { UNET_INPUTS, UNET_OUTPUT, buildUNetGraph, type BuiltGraph, type UNetWeights } from './unet';
export { SD15_VAE, TINY_VAE, VAE_DECODER_IO, VAE_ENCODER_IO, buildVaeDecoderGraph, buildVaeEncoderGraph, vaeDownsampleFactor, type VaeConfig } from './vae';
export { FORS_INPUTS, FORS_OUTPUT, SD15_FORS, TINY_FORS, buildForsGraph, forsTokenCount, type ForsConfig } from './fors';
export {
  CLIP_MEAN,
  CLIP_STD,
  REGION_ENCODER_INPUTS,
  REGION_ENCODER_OUTPUT,
  SD15_REGION_ENCODER,
  TINY_REGION_ENCODER,
  buildRegionEncoderGraph,
  type ClipVisionConfig,
  type FpnConfig,
  type RegionEncoderConfig,
} from './region-encoder';
