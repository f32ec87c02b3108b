export {
  DEFAULT_IDENTITY_WIDTH,
  DIFFUSION_GRAPH_VERSION,
  WEIGHT_PREFIXES,
  buildDiffusionPack,
  type DiffusionPackOptions,
  type WeightFiles,
} from './build-diffusion-pack';
export { loadDiffusionPack, type LoadDiffusionPackOptions, type LoadedDiffusionPack } from './load-diffusion-pack';
export {
  DIFFUSION_GENERATOR,
  DIFFUSION_MANIFEST_FILE,
  DIFFUSION_MODEL_IDS,
  DIFFUSION_PACK_NAME,
  diffusionManifestSchema,
  trainingMetadataSchema,
  type TrainingMetadata,
  type DiffusionManifestModel,
  type DiffusionModelId,
  type DiffusionPackManifest,
  type DiffusionTensorSpec,
  type WeightOrigin,
} from './manifest';
export { DIFFUSION_ARCHITECTURES, PACK_SIZES, type DiffusionArchitecture, type PackSize } from './sizes';
