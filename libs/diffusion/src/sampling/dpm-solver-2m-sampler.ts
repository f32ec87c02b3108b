import { assertStepInPlan, type Sampler } from './sampler';
import type { SamplingPlan } from './sampling-plan';

/**
 * DPM-Solver++ 2M (Lu et al. 2022): multistep, second order, data prediction, midpoint form. With
 * α = √ᾱ, σ = √(1−ᾱ), λ = log(α/σ), h = λ' − λ and D = (x − σ·ε)/α the data prediction:
 *   first order:  x' = (σ'/σ)·x + α'·(1 − e^(−h))·D
 *   second order: x' = (σ'/σ)·x + α'·(1 − e^(−h))·(D + (D − D_prev)/(2r)),  r = h_prev/h.
 * As DPMSolverMultistepScheduler (solver_order 2, midpoint, lower_order_final, final_sigmas_type "zero"):
 * the first step has no D_prev and the last step lands on the clean end (σ' = 0, x' = D), so both are first
 * order; every other step is second order, whatever the step count. D_prev is this job's memory, one
 * latent-sized buffer.
 */
export class DpmSolver2mSampler implements Sampler {
  readonly kind = 'dpm-solver++-2m' as const;
  private readonly previousData: Float32Array;
  /** The step whose data prediction `previousData` holds; −1 before the first step. */
  private previousStep = -1;

  constructor(
    readonly plan: SamplingPlan,
    elementCount: number,
  ) {
    this.previousData = new Float32Array(elementCount);
  }

  step(latents: Float32Array, noisePrediction: Float32Array, stepIndex: number): void {
    assertStepInPlan(this.plan, stepIndex);
    if (stepIndex !== this.previousStep + 1) {
      throw new RangeError(`DPM-Solver++ 2M steps must run in order: expected step ${this.previousStep + 1}, got ${stepIndex}`);
    }
    this.previousStep = stepIndex;
    const a = this.plan.alphasCumprod[stepIndex];
    const alpha = Math.sqrt(a);
    const sigma = Math.sqrt(1 - a);
    const previous = this.previousData;
    const next = this.plan.nextAlphasCumprod[stepIndex];
    if (next === 1) {
      for (let i = 0; i < latents.length; i++) latents[i] = (latents[i] - sigma * noisePrediction[i]) / alpha;
      return;
    }
    const nextAlpha = Math.sqrt(next);
    const nextSigma = Math.sqrt(1 - next);
    const h = lambda(next) - lambda(a);
    const latentScale = nextSigma / sigma;
    const dataScale = nextAlpha * -Math.expm1(-h);
    // Second order folds into D·dataScale·(1 + 1/(2r)) − D_prev·dataScale/(2r); first order has no D_prev term.
    let currentWeight = dataScale;
    let previousWeight = 0;
    if (stepIndex > 0) {
      const r = (lambda(a) - lambda(this.plan.alphasCumprod[stepIndex - 1])) / h;
      currentWeight = dataScale * (1 + 1 / (2 * r));
      previousWeight = -dataScale / (2 * r);
    }
    for (let i = 0; i < latents.length; i++) {
      const data = (latents[i] - sigma * noisePrediction[i]) / alpha;
      latents[i] = latentScale * latents[i] + currentWeight * data + previousWeight * previous[i];
      previous[i] = data;
    }
  }
}

/** λ = log(α/σ) = ½·log(ᾱ/(1−ᾱ)), the half log signal-to-noise ratio. */
function lambda(alphaCumprod: number): number {
  return 0.5 * Math.log(alphaCumprod / (1 - alphaCumprod));
}
