import { FacexError } from '@facex/contracts';
import { alphaCumprodAt, type NoiseSchedule } from './noise-schedule';

/**
 * How inference timesteps are picked from the training range:
 * - `leading`: t = i·⌊T/n⌋ + stepsOffset (SD 1.5 ships stepsOffset 1), so the largest t stays below T − 1;
 * - `trailing`: t = round(T − i·T/n) − 1, so sampling starts at the very last training step, T − 1.
 */
export type TimestepSpacing = 'leading' | 'trailing';

export interface TimestepSpacingSettings {
  readonly spacing: TimestepSpacing;
  /** Added to `leading` timesteps only; 1 for SD 1.5. */
  readonly stepsOffset: number;
}

export const SD15_TIMESTEP_SPACING: TimestepSpacingSettings = { spacing: 'leading', stepsOffset: 1 };

/**
 * The timesteps one sampling run visits, largest first, with ᾱ at each and one extra entry: the clean end
 * (ᾱ = 1), which every sampler's last step lands on so the result is the fully denoised latent. (SD 1.5's
 * reference DDIM config ends at ᾱ_0 = 0.99915 instead, leaving a trace of noise; ending at 1 returns the
 * denoised estimate and lets masked fusion restore the target exactly.)
 */
export interface SamplingPlan {
  readonly steps: number;
  /** [steps], descending. */
  readonly timesteps: Int32Array;
  /** [steps + 1]; alphasCumprod[i] belongs to timesteps[i], alphasCumprod[steps] = 1. */
  readonly alphasCumprod: Float64Array;
}

/** Inference timesteps, largest first. Bad step counts raise `invalid_recipe` naming `steps`. */
export function spacedTimesteps(steps: number, trainSteps: number, settings: TimestepSpacingSettings): Int32Array {
  if (!Number.isInteger(steps) || steps < 1 || steps > trainSteps) {
    throw new FacexError('invalid_recipe', `steps must be an integer in 1…${trainSteps}, got ${steps}`, { field: 'steps' });
  }
  const timesteps = new Int32Array(steps);
  if (settings.spacing === 'leading') {
    const ratio = Math.floor(trainSteps / steps);
    for (let i = 0; i < steps; i++) timesteps[i] = (steps - 1 - i) * ratio + settings.stepsOffset;
  } else {
    const ratio = trainSteps / steps;
    for (let i = 0; i < steps; i++) timesteps[i] = roundHalfToEven(trainSteps - i * ratio) - 1;
  }
  const largest = timesteps[0];
  if (largest >= trainSteps || timesteps[steps - 1] < 0) {
    throw new FacexError('invalid_recipe', `${steps} steps with ${settings.spacing} spacing leave the training range 0…${trainSteps - 1}`, {
      field: 'steps',
    });
  }
  return timesteps;
}

export function createSamplingPlan(schedule: NoiseSchedule, steps: number, spacing: TimestepSpacingSettings): SamplingPlan {
  const timesteps = spacedTimesteps(steps, schedule.trainSteps, spacing);
  const alphasCumprod = new Float64Array(steps + 1);
  for (let i = 0; i < steps; i++) alphasCumprod[i] = alphaCumprodAt(schedule, timesteps[i]);
  alphasCumprod[steps] = 1;
  return { steps, timesteps, alphasCumprod };
}

/** Round half to even, as NumPy's round (used by the reference schedulers) does, so .5 ties pick the same t. */
function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
