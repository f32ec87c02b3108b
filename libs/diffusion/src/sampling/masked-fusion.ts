import { FacexError } from '@facex/contracts';
import { LATENT_CHANNELS } from './noise-predictor';
import { GaussianNoise } from './seeded-noise';

/** What a controllable swap keeps from the target: its clean latents and where the edit may change them. */
export interface FusionSpec {
  /** The target's clean (VAE-encoded, scaled) latents, [4, height, width]. */
  readonly targetLatents: Float32Array;
  /** Latent-resolution fusion mask [height, width], 0…1: 1 = generate, 0 = keep the target. */
  readonly mask: Float32Array;
}

/**
 * Masked fusion (FaceX Fig. 6, right): after every step the latents outside the mask are replaced by the
 * target's latents noised to the ᾱ of the next evaluation, x ← m·x + (1 − m)·(√ᾱ·z₀ + √(1−ᾱ)·n), as
 * diffusers' inpainting pipelines do. The noise n is drawn once from the job's fusion stream, so the kept
 * region follows one consistent forward trajectory. After the last step ᾱ = 1, so where m = 0 the result is
 * z₀ exactly.
 */
export class MaskedFusion {
  private readonly noise: Float32Array;

  constructor(
    private readonly spec: FusionSpec,
    private readonly height: number,
    private readonly width: number,
    seed: number,
  ) {
    assertValidFusion(spec, height, width);
    this.noise = new GaussianNoise(seed, 'fusion').fill(new Float32Array(spec.targetLatents.length));
  }

  /** Blends `latents` in place with the target noised to ᾱ = `alphaCumprod`. */
  apply(latents: Float32Array, alphaCumprod: number): void {
    const { targetLatents, mask } = this.spec;
    const noise = this.noise;
    const signal = Math.sqrt(alphaCumprod);
    const noiseLevel = Math.sqrt(1 - alphaCumprod);
    const plane = this.height * this.width;
    for (let channel = 0; channel < LATENT_CHANNELS; channel++) {
      const base = channel * plane;
      for (let p = 0; p < plane; p++) {
        const keep = mask[p];
        const i = base + p;
        const target = signal * targetLatents[i] + noiseLevel * noise[i];
        // m = 0 copies the target outright, so the kept region is exact whatever the generated values are.
        latents[i] = keep === 0 ? target : keep * latents[i] + (1 - keep) * target;
      }
    }
  }
}

function assertValidFusion(spec: FusionSpec, height: number, width: number): void {
  const plane = height * width;
  if (spec.targetLatents.length !== LATENT_CHANNELS * plane) {
    throw new FacexError(
      'invalid_representation',
      `fusion.targetLatents must hold ${LATENT_CHANNELS}×${height}×${width} = ${LATENT_CHANNELS * plane} values, got ${spec.targetLatents.length}`,
      { field: 'fusion.targetLatents' },
    );
  }
  if (spec.mask.length !== plane) {
    throw new FacexError('invalid_representation', `fusion.mask must hold ${height}×${width} = ${plane} values, got ${spec.mask.length}`, {
      field: 'fusion.mask',
    });
  }
  for (let i = 0; i < plane; i++) {
    const m = spec.mask[i];
    if (!(m >= 0 && m <= 1)) {
      throw new FacexError('invalid_representation', `fusion.mask values must be in 0…1, got ${m} at ${i}`, { field: 'fusion.mask' });
    }
  }
  for (let i = 0; i < spec.targetLatents.length; i++) {
    if (!Number.isFinite(spec.targetLatents[i])) {
      throw new FacexError('invalid_representation', `fusion.targetLatents must be finite, got ${spec.targetLatents[i]} at ${i}`, {
        field: 'fusion.targetLatents',
      });
    }
  }
}
