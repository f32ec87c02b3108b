// ── Sampling: schedule, timesteps, seeded noise, samplers, guidance, masked fusion ──────────────────────────
export {
  SD15_NOISE_SCHEDULE,
  SD15_SCHEDULE_SETTINGS,
  alphaCumprodAt,
  interpolatedAlphaCumprod,
  scaledLinearSchedule,
  sigmaFromAlphaCumprod,
  type NoiseSchedule,
  type ScaledLinearScheduleSettings,
} from './sampling/noise-schedule';
export {
  SD15_TIMESTEP_SPACING,
  TIMESTEP_SPACINGS,
  createSamplingPlan,
  fusionAlphaCumprodAfter,
  referenceTimesteps,
  type PlanSettings,
  type SamplingPlan,
  type TimestepSpacing,
} from './sampling/sampling-plan';
export { GaussianNoise, MAX_SEED, NOISE_STREAMS, assertValidSeed, type NoiseStream } from './sampling/seeded-noise';
export { SAMPLER_KINDS, type Sampler, type SamplerKind } from './sampling/sampler';
export { DdimSampler } from './sampling/ddim-sampler';
export { EulerSampler } from './sampling/euler-sampler';
export { DpmSolver2mSampler } from './sampling/dpm-solver-2m-sampler';
export { createSampler, type SamplerSettings } from './sampling/create-sampler';
export { applyClassifierFreeGuidance } from './sampling/guidance';
export { MaskedFusion, type FusionSpec } from './sampling/masked-fusion';
export { LATENT_CHANNELS, type NoisePredictor, type PredictorDims } from './sampling/noise-predictor';
export { OrtNoisePredictor, unetFeeds } from './sampling/ort-noise-predictor';
export { MAX_LATENT_SIDE, assertValidSamplingRequest, type GuidanceContext, type SamplingRequest } from './sampling/sampling-request';
export { SamplingTrajectory } from './sampling/sampling-trajectory';

// ── Continuous batching across jobs at step granularity ─────────────────────────────────────────────────────
export {
  ContinuousBatcher,
  type ContinuousBatcherOptions,
  type SampledLatents,
  type SamplingProgress,
  type SubmitOptions,
} from './batching/continuous-batcher';
export { assembleBatchInputs, batchGroupKey, type BatchInputs } from './batching/batch-inputs';
export { selectNextBatch, worthWaitingForMore, type BatchCandidate, type BatchSelection } from './batching/select-next-batch';

// ── U-Net / VAE graphs, weights and the diffusion model pack (owned by the graphs engineer) ────────────────
export * from './graphs';
export * from './weights';
export * from './pack';

// ── The `diffusion` generator: conditions → FORS → batched guided sampling in a worker thread → VAE decode ──
export * from './generator';
