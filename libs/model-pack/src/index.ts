export { loadModelPack } from './load-model-pack';
export { sha256Hex } from './sha256';
export { buildModelPack, ensureModelPack, expectedPackVersion, type BuildOptions } from './build-model-pack';
export { convertGraphModel, CONVERTER_VERSION } from './converter/convert-graph-model';
export { MODEL_CATALOG, type ModelDefinition, type PinnedSource } from './model-catalog';
export {
  MANIFEST_FILE,
  MODEL_IDS,
  PACK_NAME,
  manifestSchema,
  type ManifestModel,
  type ModelId,
  type ModelPackManifest,
  type Preprocessing,
  type TensorSpec,
} from './manifest';
