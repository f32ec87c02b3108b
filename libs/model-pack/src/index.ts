export { loadModelPack, readPackManifest, verifyFile } from './load-model-pack';
export { buildModelPack, ensureModelPack, expectedPackVersion, readPinned, type BuildOptions } from './build-model-pack';
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
export { decodeWeights, type ConstTensor } from './converter/weights';
export { transposeData } from './converter/layout';
export { sha256Hex } from './sha256';
