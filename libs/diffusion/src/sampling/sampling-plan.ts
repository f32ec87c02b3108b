import { FacexError } from '@facex/contracts';
import { alphaCumprodAt, interpolatedAlphaCumprod, type NoiseSchedule } from './noise-schedule';
import { evenlySpaced, floatArange, roundHalfToEven } from './reference-ranges';
import type { SamplerKind } from './sampler';

/**
 * How inference timesteps are picked from the training range (T training steps, n inference steps), each
 * sampler as its reference scheduler in diffusers picks them (DDIMScheduler, DPMSolverMultistepScheduler,
 * EulerDiscreteScheduler):
 * - `leading`: multiples of ⌊T/n⌋ plus stepsOffset (1 for SD 1.5), so the largest t stays below T − 1;
 *   DPM-Solver divides by n + 1 and leaves out 0;
 * - `trailing`: round(T − k·T/n) − 1, starting at the very last training step T − 1;
 * - `linspace`: n values evenly spaced over 0…T − 1, rounded (Euler keeps them fractional); DPM-Solver spaces
 *   n + 1 and leaves out 0.
 */
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';
export const TIMESTEP_SPACINGS: readonly TimestepSpacing[] = ['leading', 'trailing', 'linspace'];

export interface PlanSettings {
  readonly spacing: TimestepSpacing;
  /** Added to `leading` timesteps only; 1 for SD 1.5. */
  readonly stepsOffset: number;
  /**
   * DDIM only: the ᾱ its last step lands on is 1 (a clean result) instead of ᾱ_0 = 0.99915, SD 1.5's stock
   * `set_alpha_to_one = false`, which leaves a trace of noise as the reference does.
   */
  readonly setAlphaToOne?: boolean;
}

/**
 * SD 1.5's stock spacing: `leading`, steps offset 1 (the pipeline's PNDM config; a scheduler swapped in with
 * `from_config` inherits it).
 */
export const SD15_TIMESTEP_SPACING: PlanSettings = { spacing: 'leading', stepsOffset: 1 };

/**
 * The evaluations one sampling run makes, largest timestep first. The state before evaluation i is at
 * ᾱ = alphasCumprod[i]; step i moves it to nextAlphasCumprod[i]. For Euler and DPM-Solver that is the next
 * evaluation's ᾱ, and 1 (the clean end, σ = 0) after the last. DDIM, as DDIMScheduler, lands on
 * ᾱ(t − ⌊T/n⌋) (ᾱ_0 or 1 below 0), which with `trailing` or `linspace` spacing is not always the next
 * evaluation's timestep.
 */
export interface SamplingPlan {
  /** Model evaluations: the steps asked for, or one more where the reference makes one more (see referenceTimesteps). */
  readonly steps: number;
  /** [steps], descending; integers except Euler with `linspace` spacing; −1 only as the reference's extra. */
  readonly timesteps: Float64Array;
  /** [steps]: ᾱ of the state each evaluation sees. */
  readonly alphasCumprod: Float64Array;
  /** [steps]: ᾱ each step lands on. */
  readonly nextAlphasCumprod: Float64Array;
  /**
   * x_T = initialNoiseScale · z for standard normal z. 1 except Euler with `linspace` or `trailing` spacing,
   * where EulerDiscreteScheduler starts from σ_max·z in its σ-coordinates: √(1 − ᾱ) · z here.
   */
  readonly initialNoiseScale: number;
}

/**
 * The reference scheduler's timesteps for `steps` inference steps, largest first. With `trailing` spacing at
 * some step counts (61, 103, 121 and 122 of 1…150), NumPy's arange yields one value more than asked, which
 * becomes t = −1: Euler and DPM-Solver then evaluate there at σ₀ (their σ lookup clamps), so that extra
 * evaluation is kept; DDIMScheduler reads ᾱ at index −1 (ᾱ_999) there and returns noise, so DDIM leaves it out.
 * Bad step counts raise `invalid_recipe` naming `steps`.
 */
export function referenceTimesteps(kind: SamplerKind, steps: number, trainSteps: number, settings: PlanSettings): Float64Array {
  if (!Number.isInteger(steps) || steps < 1 || steps > trainSteps) {
    throw new FacexError('invalid_recipe', `steps must be an integer in 1…${trainSteps}, got ${steps}`, { field: 'steps' });
  }
  const dpmSolver = kind === 'dpm-solver++-2m';
  let timesteps: Float64Array;
  switch (settings.spacing) {
    case 'leading': {
      // DPM-Solver spaces steps + 1 multiples and drops the smallest, 0.
      const multiples = dpmSolver ? steps + 1 : steps;
      const ratio = Math.floor(trainSteps / multiples);
      timesteps = Float64Array.from({ length: steps }, (_, i) => (multiples - 1 - i) * ratio + settings.stepsOffset);
      break;
    }
    case 'trailing': {
      const values = floatArange(trainSteps, 0, -trainSteps / steps).map((value) => roundHalfToEven(value) - 1);
      timesteps = kind === 'ddim' ? values.subarray(0, steps) : values;
      break;
    }
    case 'linspace': {
      if (dpmSolver) {
        timesteps = evenlySpaced(0, trainSteps - 1, steps + 1)
          .map(roundHalfToEven)
          .reverse()
          .subarray(0, steps);
      } else {
        // Euler keeps the fractional values, as float32 (the reference's dtype; the U-Net sees float32 anyway).
        const round = kind === 'euler' ? Math.fround : roundHalfToEven;
        timesteps = evenlySpaced(0, trainSteps - 1, steps)
          .map(round)
          .reverse();
      }
      break;
    }
  }
  assertWithinTraining(timesteps, trainSteps, steps, settings.spacing);
  return Float64Array.from(timesteps);
}

/** The plan `kind` runs for `steps` steps. Bad step counts and spacings that leave the range raise `invalid_recipe`. */
export function createSamplingPlan(kind: SamplerKind, schedule: NoiseSchedule, steps: number, settings: PlanSettings): SamplingPlan {
  const timesteps = referenceTimesteps(kind, steps, schedule.trainSteps, settings);
  const count = timesteps.length;
  const alphasCumprod = new Float64Array(count);
  const nextAlphasCumprod = new Float64Array(count);
  if (kind === 'ddim') {
    const finalAlphaCumprod = settings.setAlphaToOne ? 1 : schedule.alphasCumprod[0];
    const stride = Math.floor(schedule.trainSteps / steps);
    for (let i = 0; i < count; i++) {
      alphasCumprod[i] = alphaCumprodAt(schedule, timesteps[i]);
      const landing = timesteps[i] - stride;
      nextAlphasCumprod[i] = landing >= 0 ? alphaCumprodAt(schedule, landing) : finalAlphaCumprod;
    }
  } else {
    for (let i = 0; i < count; i++) alphasCumprod[i] = interpolatedAlphaCumprod(schedule, timesteps[i]);
    for (let i = 0; i < count; i++) nextAlphasCumprod[i] = i + 1 < count ? alphasCumprod[i + 1] : 1;
  }
  if (kind === 'dpm-solver++-2m') assertIncreasingSignal(alphasCumprod, steps, settings.spacing);
  const initialNoiseScale = kind === 'euler' && settings.spacing !== 'leading' ? Math.sqrt(1 - alphasCumprod[0]) : 1;
  return { steps: count, timesteps, alphasCumprod, nextAlphasCumprod, initialNoiseScale };
}

/** ᾱ the masked fusion noises the kept target to after `stepIndex`: the next evaluation's, the clean target after the last. */
export function fusionAlphaCumprodAfter(plan: SamplingPlan, stepIndex: number): number {
  return stepIndex + 1 < plan.steps ? plan.alphasCumprod[stepIndex + 1] : 1;
}

function assertWithinTraining(timesteps: Float64Array, trainSteps: number, steps: number, spacing: TimestepSpacing): void {
  // −1 is the reference's own extra trailing value (see referenceTimesteps); nothing else may leave the range.
  const lowest = timesteps.length > steps ? -1 : 0;
  if (timesteps[0] > trainSteps - 1 || timesteps[timesteps.length - 1] < lowest) {
    throw new FacexError('invalid_recipe', `${steps} steps with ${spacing} spacing leave the training range 0…${trainSteps - 1}`, { field: 'steps' });
  }
}

/** DPM-Solver divides by the log-SNR step h, so two evaluations at one noise level have no update. */
function assertIncreasingSignal(alphasCumprod: Float64Array, steps: number, spacing: TimestepSpacing): void {
  for (let i = 1; i < alphasCumprod.length; i++) {
    if (!(alphasCumprod[i] > alphasCumprod[i - 1])) {
      throw new FacexError('invalid_recipe', `${steps} steps with ${spacing} spacing repeat a noise level, which DPM-Solver++ cannot step over`, {
        field: 'steps',
      });
    }
  }
}
