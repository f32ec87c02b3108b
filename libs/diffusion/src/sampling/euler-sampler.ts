import { sigmaFromAlphaCumprod } from './noise-schedule';
import { assertStepInPlan, type Sampler } from './sampler';
import type { SamplingPlan } from './sampling-plan';

/**
 * Euler on the probability-flow ODE in σ (Karras et al. 2022), where the sample is x̃ = x₀ + σ·ε,
 * σ = √((1−ᾱ)/ᾱ), and the model sees x̃/√(σ²+1). The state kept here is that model input, so one step
 * un-scales it, moves σ → σ' along ε, and scales back:
 *   x' = (x·√(σ²+1) + (σ' − σ)·ε) / √(σ'²+1).
 * The clean end has σ' = 0. (Deterministic Euler and DDIM with η = 0 are the same update written in
 * different coordinates; the tests check that they agree.)
 */
export class EulerSampler implements Sampler {
  readonly kind = 'euler' as const;

  constructor(readonly plan: SamplingPlan) {}

  step(latents: Float32Array, noisePrediction: Float32Array, stepIndex: number): void {
    assertStepInPlan(this.plan, stepIndex);
    const sigma = sigmaFromAlphaCumprod(this.plan.alphasCumprod[stepIndex]);
    const nextSigma = sigmaFromAlphaCumprod(this.plan.nextAlphasCumprod[stepIndex]);
    const nextInputScale = 1 / Math.sqrt(nextSigma * nextSigma + 1);
    const latentScale = Math.sqrt(sigma * sigma + 1) * nextInputScale;
    const noiseScale = (nextSigma - sigma) * nextInputScale;
    for (let i = 0; i < latents.length; i++) latents[i] = latentScale * latents[i] + noiseScale * noisePrediction[i];
  }
}
