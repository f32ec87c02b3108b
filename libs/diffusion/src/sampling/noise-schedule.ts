import { FacexError } from '@facex/contracts';

/**
 * A discrete DDPM noise schedule: ᾱ_t (alphas_cumprod) for every training timestep t. Kept in float64 because
 * the samplers derive square roots and logs of ᾱ near 0 and 1, where float32 loses the digits that matter.
 */
export interface NoiseSchedule {
  readonly trainSteps: number;
  readonly betas: Float64Array;
  readonly alphasCumprod: Float64Array;
}

export interface ScaledLinearScheduleSettings {
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly trainSteps: number;
}

/** Stable Diffusion 1.5's training schedule. */
export const SD15_SCHEDULE_SETTINGS: ScaledLinearScheduleSettings = { betaStart: 0.00085, betaEnd: 0.012, trainSteps: 1000 };

/** "scaled_linear": β is linear in √β between √β_start and √β_end, then squared; ᾱ_t = Π_{i≤t} (1 − β_i). */
export function scaledLinearSchedule(settings: ScaledLinearScheduleSettings): NoiseSchedule {
  const { betaStart, betaEnd, trainSteps } = settings;
  if (!Number.isInteger(trainSteps) || trainSteps < 2) {
    throw new RangeError(`trainSteps must be an integer ≥ 2, got ${trainSteps}`);
  }
  if (!(betaStart > 0 && betaEnd > betaStart && betaEnd < 1)) {
    throw new RangeError(`betas must satisfy 0 < betaStart < betaEnd < 1, got ${betaStart} and ${betaEnd}`);
  }
  const betas = new Float64Array(trainSteps);
  const alphasCumprod = new Float64Array(trainSteps);
  const rootStart = Math.sqrt(betaStart);
  const rootStep = (Math.sqrt(betaEnd) - rootStart) / (trainSteps - 1);
  let product = 1;
  for (let t = 0; t < trainSteps; t++) {
    const root = rootStart + t * rootStep;
    betas[t] = root * root;
    product *= 1 - betas[t];
    alphasCumprod[t] = product;
  }
  return { trainSteps, betas, alphasCumprod };
}

export const SD15_NOISE_SCHEDULE: NoiseSchedule = scaledLinearSchedule(SD15_SCHEDULE_SETTINGS);

/** The variance-exploding noise level of a timestep: σ = √((1 − ᾱ) / ᾱ); 0 for a clean sample (ᾱ = 1). */
export function sigmaFromAlphaCumprod(alphaCumprod: number): number {
  return Math.sqrt((1 - alphaCumprod) / alphaCumprod);
}

/** ᾱ of a training timestep, with the index checked. */
export function alphaCumprodAt(schedule: NoiseSchedule, timestep: number): number {
  if (!Number.isInteger(timestep) || timestep < 0 || timestep >= schedule.trainSteps) {
    throw new FacexError('invalid_recipe', `timestep must be an integer in 0…${schedule.trainSteps - 1}, got ${timestep}`, {
      field: 'timestep',
    });
  }
  return schedule.alphasCumprod[timestep];
}

/**
 * ᾱ at a timestep that may be fractional or outside the training range, as the σ-based reference schedulers
 * (Euler, DPM-Solver) read it: σ interpolated linearly between the neighbouring training steps, clamped to
 * the end values outside 0…T − 1 (np.interp over the σ table), then ᾱ = 1/(1 + σ²). A training step reads
 * its own ᾱ.
 */
export function interpolatedAlphaCumprod(schedule: NoiseSchedule, timestep: number): number {
  const last = schedule.trainSteps - 1;
  const t = Math.min(Math.max(timestep, 0), last);
  const j = Math.floor(t);
  if (j === t) return schedule.alphasCumprod[j];
  const below = sigmaFromAlphaCumprod(schedule.alphasCumprod[j]);
  const above = sigmaFromAlphaCumprod(schedule.alphasCumprod[j + 1]);
  const sigma = (above - below) * (t - j) + below;
  return 1 / (1 + sigma * sigma);
}
