import type { SamplingPlan } from './sampling-plan';

export type SamplerKind = 'ddim' | 'dpm-solver++-2m' | 'euler';
export const SAMPLER_KINDS: readonly SamplerKind[] = ['ddim', 'dpm-solver++-2m', 'euler'];

/**
 * One job's sampler. The state it advances is the U-Net's input latent in variance-preserving form,
 * x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε, so the batcher feeds it to the model as is and masked fusion noises the
 * target the same way for every sampler. A sampler may keep per-job memory (DPM-Solver++'s previous data
 * prediction, DDIM's η noise stream); it allocates only when created.
 */
export interface Sampler {
  readonly kind: SamplerKind;
  readonly plan: SamplingPlan;
  /**
   * Advances `latents` in place from plan.timesteps[stepIndex] to the next timestep (the clean end after
   * the last step), given the (guided) ε prediction at the current one. Steps must run in order.
   */
  step(latents: Float32Array, noisePrediction: Float32Array, stepIndex: number): void;
}

/** Step indices are produced by the caller's loop, so a wrong one is a programming error. */
export function assertStepInPlan(plan: SamplingPlan, stepIndex: number): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= plan.steps) {
    throw new RangeError(`step index must be an integer in 0…${plan.steps - 1}, got ${stepIndex}`);
  }
}
