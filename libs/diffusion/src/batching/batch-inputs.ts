import { LATENT_CHANNELS, type PredictorDims } from '../sampling/noise-predictor';
import type { SamplingTrajectory } from '../sampling/sampling-trajectory';

/** One predictor call's tensors. */
export interface BatchInputs {
  readonly latents: Float32Array;
  readonly timesteps: Float32Array;
  readonly context: Float32Array;
  readonly dims: PredictorDims;
}

/** The key under which jobs may share a call: latent height×width and context tokens×dim. */
export function batchGroupKey(trajectory: SamplingTrajectory): string {
  const { height, width, context } = trajectory.request;
  return `${height}x${width}/${context.tokens}x${context.dim}`;
}

/**
 * Lays out one call: per job its conditional sample, then (when guided) its unconditional sample, both at
 * the job's current latents and own timestep. All jobs must share one group key.
 */
export function assembleBatchInputs(trajectories: readonly SamplingTrajectory[]): BatchInputs {
  if (trajectories.length === 0) throw new RangeError('a batch needs at least one job');
  const key = batchGroupKey(trajectories[0]);
  const { height, width, context: firstContext } = trajectories[0].request;
  const sampleSize = LATENT_CHANNELS * height * width;
  const contextSize = firstContext.tokens * firstContext.dim;
  let batch = 0;
  for (const trajectory of trajectories) {
    if (batchGroupKey(trajectory) !== key) throw new RangeError(`jobs of groups ${key} and ${batchGroupKey(trajectory)} cannot share a call`);
    batch += trajectory.samplesPerEvaluation;
  }
  const latents = new Float32Array(batch * sampleSize);
  const timesteps = new Float32Array(batch);
  const context = new Float32Array(batch * contextSize);
  let sample = 0;
  for (const trajectory of trajectories) {
    for (const tokens of trajectory.contexts) {
      latents.set(trajectory.latents, sample * sampleSize);
      timesteps[sample] = trajectory.timestep;
      context.set(tokens, sample * contextSize);
      sample++;
    }
  }
  return { latents, timesteps, context, dims: { batch, height, width, tokens: firstContext.tokens, contextDim: firstContext.dim } };
}
