export { DiffusionGenerator } from './diffusion-generator';
export { DiffusionEngine, type EngineSettings, type RenderControls } from './diffusion-engine';
export {
  buildDiffusionJob,
  randomWeightsRefusal,
  samplesPerRender,
  type DiffusionJob,
  type JobPackFacts,
  type JobSampler,
  type TokenRows,
} from './diffusion-job';
export { CountingNoisePredictor, type BatcherStats } from './counting-predictor';
export {
  EXECUTION_PROVIDERS,
  assertProviderListed,
  diffusionSessionOptions,
  parseExecutionProvider,
  providerStartError,
  type ExecutionProvider,
  type SupportedBackend,
} from './execution-provider';
export { DEFAULT_DIFFUSION_SETTINGS, diffusionSettingsFromEnv, resolveDiffusionSettings, type DiffusionGeneratorSettings } from './settings';
export { latentFusionMask, rgbToSignedPlanes, signedPlanesToRgb, upsampleRgb2x } from './pixel-tensors';
