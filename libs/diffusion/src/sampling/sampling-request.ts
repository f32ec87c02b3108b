import { FacexError } from '@facex/contracts';
import type { SamplerSettings } from './create-sampler';
import type { FusionSpec } from './masked-fusion';
import { LATENT_CHANNELS } from './noise-predictor';
import { assertValidSeed } from './seeded-noise';

/** Cross-attention context of one job: its conditional tokens and the null token set for guidance. */
export interface GuidanceContext {
  /** [tokens, dim]. */
  readonly cond: Float32Array;
  /** The null token set [tokens, dim]; required unless guidanceScale is 1. */
  readonly uncond?: Float32Array;
  readonly tokens: number;
  readonly dim: number;
}

/** Everything one sampling job needs; latents are [4, height, width] in the U-Net's (scaled) latent space. */
export interface SamplingRequest {
  readonly height: number;
  readonly width: number;
  readonly context: GuidanceContext;
  /** Classifier-free guidance scale g; 1 evaluates the conditional half only. */
  readonly guidanceScale: number;
  readonly sampler: SamplerSettings;
  /** Seeds the initial latents (when not given), DDIM's η noise and the fusion noise. */
  readonly seed: number;
  /** Standard normal noise z, x_T = plan.initialNoiseScale·z; drawn from the seed when absent. */
  readonly initialLatents?: Float32Array;
  readonly fusion?: FusionSpec;
}

/** Largest latent side accepted (1024 px images at the VAE's factor 8 are 128). */
export const MAX_LATENT_SIDE = 256;

/** Checks the parts the sampler parts do not check themselves; raises typed errors naming the field. */
export function assertValidSamplingRequest(request: SamplingRequest): void {
  for (const field of ['height', 'width'] as const) {
    const side = request[field];
    if (!Number.isInteger(side) || side < 1 || side > MAX_LATENT_SIDE) {
      throw new FacexError('invalid_representation', `${field} must be an integer in 1…${MAX_LATENT_SIDE}, got ${side}`, { field });
    }
  }
  assertValidSeed(request.seed);
  if (!Number.isFinite(request.guidanceScale) || request.guidanceScale < 0) {
    throw new FacexError('invalid_recipe', `guidanceScale must be a finite number ≥ 0, got ${request.guidanceScale}`, {
      field: 'guidanceScale',
    });
  }
  const { context } = request;
  if (!Number.isInteger(context.tokens) || context.tokens < 1 || !Number.isInteger(context.dim) || context.dim < 1) {
    throw new FacexError('invalid_representation', `context must have positive integer tokens and dim, got ${context.tokens}×${context.dim}`, {
      field: 'context',
    });
  }
  assertLength(context.cond, context.tokens * context.dim, 'context.cond');
  if (request.guidanceScale !== 1) {
    if (!context.uncond) {
      throw new FacexError('invalid_representation', 'context.uncond (the null token set) is required when guidanceScale is not 1', {
        field: 'context.uncond',
      });
    }
    assertLength(context.uncond, context.tokens * context.dim, 'context.uncond');
  }
  if (request.initialLatents) assertLength(request.initialLatents, LATENT_CHANNELS * request.height * request.width, 'initialLatents');
}

function assertLength(values: Float32Array, expected: number, field: string): void {
  if (values.length !== expected) {
    throw new FacexError('invalid_representation', `${field} must hold ${expected} values, got ${values.length}`, { field });
  }
}
