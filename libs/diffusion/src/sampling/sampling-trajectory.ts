import { createSampler } from './create-sampler';
import { applyClassifierFreeGuidance } from './guidance';
import { MaskedFusion } from './masked-fusion';
import { LATENT_CHANNELS } from './noise-predictor';
import type { NoiseSchedule } from './noise-schedule';
import type { Sampler } from './sampler';
import { fusionAlphaCumprodAfter } from './sampling-plan';
import { assertValidSamplingRequest, type SamplingRequest } from './sampling-request';
import { GaussianNoise } from './seeded-noise';

/**
 * One job's progress through its sampling plan, one U-Net evaluation at a time: it says what the model must
 * see next (latents, timestep, context halves) and folds the model's answer back in (guidance, sampler
 * step, masked fusion). It owns every per-job buffer, so stepping allocates nothing; the batcher
 * interleaves many of these at step granularity.
 */
export class SamplingTrajectory {
  /** The current latents x_t, [4, height, width]; after the last step, the result (at ᾱ_0 for stock DDIM, else clean). */
  readonly latents: Float32Array;
  private readonly sampler: Sampler;
  private readonly fusion?: MaskedFusion;
  /**
   * The context of each U-Net sample one evaluation needs: the conditional tokens, then the null token set
   * unless g = 1 (guidance 1 is the conditional prediction alone).
   */
  readonly contexts: readonly Float32Array[];
  /** Reused for the guided ε; empty when unguided. */
  private readonly guided: Float32Array;
  private nextStep = 0;

  constructor(
    readonly request: SamplingRequest,
    schedule: NoiseSchedule,
  ) {
    assertValidSamplingRequest(request);
    const size = LATENT_CHANNELS * request.height * request.width;
    this.sampler = createSampler(request.sampler, schedule, size, request.seed);
    const noise = request.initialLatents
      ? Float32Array.from(request.initialLatents)
      : new GaussianNoise(request.seed, 'initialLatents').fill(new Float32Array(size));
    const { initialNoiseScale } = this.sampler.plan;
    if (initialNoiseScale !== 1) for (let i = 0; i < noise.length; i++) noise[i] *= initialNoiseScale;
    this.latents = noise;
    const { cond, uncond } = request.context;
    // Validation guarantees uncond whenever g ≠ 1.
    this.contexts = request.guidanceScale === 1 || !uncond ? [cond] : [cond, uncond];
    this.guided = new Float32Array(this.contexts.length === 2 ? size : 0);
    if (request.fusion) {
      this.fusion = new MaskedFusion(request.fusion, request.height, request.width, request.seed);
      // Fusing before the first evaluation lets the U-Net see the target's layout from step one.
      this.fusion.apply(this.latents, this.sampler.plan.alphasCumprod[0]);
    }
  }

  get steps(): number {
    return this.sampler.plan.steps;
  }

  /** Steps applied so far; equals `steps` when done. */
  get completedSteps(): number {
    return this.nextStep;
  }

  get done(): boolean {
    return this.nextStep >= this.steps;
  }

  /** The training timestep the next evaluation runs at. */
  get timestep(): number {
    return this.sampler.plan.timesteps[this.nextStep];
  }

  /** U-Net samples per evaluation: the conditional half, plus the unconditional one unless g = 1. */
  get samplesPerEvaluation(): number {
    return this.contexts.length;
  }

  /**
   * Applies one evaluation's ε predictions (`uncond` required when samplesPerEvaluation is 2): guidance,
   * then the sampler step, then masked fusion at the next evaluation's ᾱ (the clean target after the last).
   */
  advance(cond: Float32Array, uncond?: Float32Array): void {
    if (this.done) throw new RangeError(`the trajectory has already run all ${this.steps} steps`);
    let noise = cond;
    if (this.samplesPerEvaluation === 2) {
      if (!uncond) throw new RangeError('a guided step needs the unconditional prediction');
      noise = applyClassifierFreeGuidance(cond, uncond, this.request.guidanceScale, this.guided);
    }
    const stepIndex = this.nextStep;
    this.sampler.step(this.latents, noise, stepIndex);
    this.nextStep++;
    this.fusion?.apply(this.latents, fusionAlphaCumprodAfter(this.sampler.plan, stepIndex));
  }
}
