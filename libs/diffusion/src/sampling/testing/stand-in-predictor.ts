import { LATENT_CHANNELS, type NoisePredictor, type PredictorDims } from '../noise-predictor';

export interface PredictorCall {
  readonly dims: PredictorDims;
  readonly timesteps: number[];
  /** Date.now() when the call started. */
  readonly startedAt: number;
}

export interface StandInOptions {
  /** Milliseconds each call takes, so jobs can join while a call is in flight. */
  readonly delayMs?: number;
  /** Fail the call (reject) when this returns true. */
  readonly failWhen?: (timesteps: Float32Array, dims: PredictorDims) => boolean;
}

/**
 * A deterministic stand-in for the U-Net: a fixed channel-mixing linear map of the latents, scaled by a
 * function of each sample's timestep, plus a per-channel bias from the mean of that sample's context. Each
 * sample is computed on its own in float64 and rounded once, so a batched call returns exactly the values
 * of the same samples run one by one. It records every call for the scheduling tests.
 */
export class StandInPredictor implements NoisePredictor {
  readonly calls: PredictorCall[] = [];

  constructor(private readonly options: StandInOptions = {}) {}

  async predict(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Promise<Float32Array> {
    this.calls.push({ dims, timesteps: Array.from(timesteps), startedAt: Date.now() });
    if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
    if (this.options.failWhen?.(timesteps, dims)) throw new Error('stand-in predictor failure');
    return standInNoise(latents, timesteps, context, dims);
  }
}

const MIXING = [
  [0.6, 0.1, -0.05, 0.02],
  [0.05, 0.55, 0.1, -0.03],
  [-0.02, 0.08, 0.5, 0.1],
  [0.04, -0.06, 0.07, 0.58],
];

export function standInNoise(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Float32Array {
  const plane = dims.height * dims.width;
  const sampleSize = LATENT_CHANNELS * plane;
  const contextSize = dims.tokens * dims.contextDim;
  const out = new Float32Array(dims.batch * sampleSize);
  for (let b = 0; b < dims.batch; b++) {
    let contextSum = 0;
    for (let k = 0; k < contextSize; k++) contextSum += context[b * contextSize + k];
    const contextMean = contextSum / contextSize;
    const timeScale = 0.5 + 0.5 * Math.cos((timesteps[b] / 1000) * Math.PI);
    for (let c = 0; c < LATENT_CHANNELS; c++) {
      const bias = 0.1 * (c + 1) * contextMean;
      for (let p = 0; p < plane; p++) {
        let mixed = 0;
        for (let k = 0; k < LATENT_CHANNELS; k++) mixed += MIXING[c][k] * latents[b * sampleSize + k * plane + p];
        out[b * sampleSize + c * plane + p] = timeScale * mixed + bias;
      }
    }
  }
  return out;
}
