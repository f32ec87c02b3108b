import type { GaussianNoise } from './seeded-noise';
import { assertStepInPlan, type Sampler } from './sampler';
import type { SamplingPlan } from './sampling-plan';

/**
 * DDIM (Song et al. 2021). With a = ᾱ_t, a' = the ᾱ the step lands on (the plan's, as DDIMScheduler's):
 *   x₀ = (x − √(1−a)·ε)/√a,  σ = η·√((1−a')/(1−a))·√(1 − a/a'),
 *   x' = √a'·x₀ + √(1 − a' − σ²)·ε + σ·z,  z ~ N(0, 1) from the job's η stream.
 * η = 0 is deterministic. The last step lands on ᾱ_0 (SD 1.5's stock config) or, with setAlphaToOne, on
 * a' = 1, where σ = 0 and x' = x₀.
 */
export class DdimSampler implements Sampler {
  readonly kind = 'ddim' as const;

  constructor(
    readonly plan: SamplingPlan,
    private readonly eta: number,
    private readonly etaNoise: GaussianNoise,
  ) {}

  step(latents: Float32Array, noisePrediction: Float32Array, stepIndex: number): void {
    assertStepInPlan(this.plan, stepIndex);
    const a = this.plan.alphasCumprod[stepIndex];
    const next = this.plan.nextAlphasCumprod[stepIndex];
    const sigma = this.eta * Math.sqrt((1 - next) / (1 - a)) * Math.sqrt(1 - a / next);
    const sqrtA = Math.sqrt(a);
    const sqrtNext = Math.sqrt(next);
    // x' = (√a'/√a)·x + (√(1−a'−σ²) − √a'·√(1−a)/√a)·ε + σ·z, folded into two coefficients.
    const latentScale = sqrtNext / sqrtA;
    const noiseScale = Math.sqrt(Math.max(0, 1 - next - sigma * sigma)) - (sqrtNext * Math.sqrt(1 - a)) / sqrtA;
    if (sigma === 0) {
      for (let i = 0; i < latents.length; i++) latents[i] = latentScale * latents[i] + noiseScale * noisePrediction[i];
      return;
    }
    for (let i = 0; i < latents.length; i++) {
      latents[i] = latentScale * latents[i] + noiseScale * noisePrediction[i] + sigma * this.etaNoise.nextGaussian();
    }
  }
}
