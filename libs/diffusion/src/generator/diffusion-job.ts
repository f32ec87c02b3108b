/**
 * One render as the worker thread receives it: the assembled conditions the diffusion graphs read, checked
 * against the pack on the calling thread (so bad input fails fast with a typed error naming the field), and
 * the sampling settings resolved from the edit options.
 */
import { randomInt } from 'node:crypto';
import type { AssembledTokens } from '@facex/assemblers';
import { FacexError } from '@facex/contracts';
import { GENERATED_SIZE, type GeneratorConditions, type GeneratorOptions } from '@facex/generators';
import { assertRgbImage, type MaskPlane, type RgbImage } from '@facex/imaging';
import type { DiffusionPackManifest } from '../pack/manifest';
import type { SamplerKind } from '../sampling/sampler';
import type { TimestepSpacing } from '../sampling/sampling-plan';

/** FORS's `tokens` and `slot_present` rows for one token set. */
export interface TokenRows {
  packed: Float32Array;
  /** 1 where the slot is present, 0 where absent, in layout order. */
  present: Float32Array;
}

export interface DiffusionJob {
  /** I^R, 512 px. */
  reference: RgbImage;
  /** The target's unedited 512 px crop: its latents are kept outside the fusion mask. */
  frameCrop: RgbImage;
  /** 512 px, 255 = generate. */
  fusionMask: MaskPlane;
  tokens: TokenRows;
  nullTokens: TokenRows;
  /** Side the U-Net and VAE run at; the result is always the 512 px crop. */
  resolution: 256 | 512;
  steps: number;
  guidance: number;
  seed: number;
  sampler: JobSampler;
}

/** The worker's sampler choice, the same for every job (the edit options carry none). */
export interface JobSampler {
  kind: SamplerKind;
  spacing: TimestepSpacing;
  /** DDIM only: end on ᾱ = 1 instead of SD 1.5's stock ᾱ_0. */
  setAlphaToOne: boolean;
}

/** The pack facts a job is checked against. */
export type JobPackFacts = Pick<DiffusionPackManifest, 'tokenLayout' | 'latent'>;

function invalid(field: string, message: string): FacexError {
  return new FacexError('invalid_representation', `${field}: ${message}`, { field });
}

function assertCropImage(image: RgbImage, field: string): void {
  assertRgbImage(image, field);
  if (image.width !== GENERATED_SIZE || image.height !== GENERATED_SIZE)
    throw invalid(field, `expected ${GENERATED_SIZE}×${GENERATED_SIZE}, got ${image.width}×${image.height}`);
}

function assertCropMask(mask: MaskPlane, field: string): void {
  if (mask.width !== GENERATED_SIZE || mask.height !== GENERATED_SIZE || mask.data.length !== GENERATED_SIZE * GENERATED_SIZE) {
    throw invalid(field, `expected a ${GENERATED_SIZE}×${GENERATED_SIZE} mask, got ${mask.width}×${mask.height} (${mask.data.length} bytes)`);
  }
}

/** The packed tokens must be laid out exactly as the pack's FORS graph slices them. */
function tokenRows(tokens: AssembledTokens, pack: JobPackFacts, field: string): TokenRows {
  const expected = pack.tokenLayout;
  const { layout } = tokens;
  if (layout.slots.length !== expected.slots.length)
    throw invalid(`${field}.layout`, `${layout.slots.length} slots, the pack expects ${expected.slots.length}`);
  expected.slots.forEach((slot, i) => {
    const got = layout.slots[i];
    if (got.component !== slot.component || got.offset !== slot.offset || got.width !== slot.width) {
      throw invalid(
        `${field}.layout`,
        `slot ${i} is ${got.component} (width ${got.width} at ${got.offset}), the pack expects ${slot.component} (width ${slot.width} at ${slot.offset})`,
      );
    }
  });
  if (tokens.packed.length !== expected.totalWidth) throw invalid(`${field}.packed`, `${tokens.packed.length} values, the pack expects ${expected.totalWidth}`);
  return { packed: tokens.packed, present: Float32Array.from(tokens.slots, (slot) => (slot.present ? 1 : 0)) };
}

/** Checks the conditions and options against the pack and resolves the job (a random seed when none is given). */
export function buildDiffusionJob(conditions: GeneratorConditions, options: GeneratorOptions, pack: JobPackFacts, sampler: JobSampler): DiffusionJob {
  assertCropImage(conditions.reference, 'conditions.reference');
  assertCropImage(conditions.frameCrop, 'conditions.frameCrop');
  assertCropMask(conditions.fusionMask, 'conditions.fusionMask');
  const resolution = options.resolution;
  if (resolution !== 256 && resolution !== 512)
    throw new FacexError('invalid_recipe', `options.resolution must be 256 or 512, got ${resolution}`, { field: 'options.resolution' });
  const latentSide = resolution / pack.latent.downsampleFactor;
  if (!Number.isInteger(latentSide) || latentSide % pack.latent.sizeMultiple !== 0) {
    throw new FacexError(
      'invalid_recipe',
      `options.resolution ${resolution} gives ${latentSide} latents, not a multiple of the pack's ${pack.latent.sizeMultiple}`,
      { field: 'options.resolution' },
    );
  }
  if (!Number.isInteger(options.steps) || options.steps < 1)
    throw new FacexError('invalid_recipe', `options.steps must be a positive integer, got ${options.steps}`, { field: 'options.steps' });
  return {
    reference: conditions.reference,
    frameCrop: conditions.frameCrop,
    fusionMask: conditions.fusionMask,
    tokens: tokenRows(conditions.tokens, pack, 'conditions.tokens'),
    nullTokens: tokenRows(conditions.nullTokens, pack, 'conditions.nullTokens'),
    resolution,
    steps: options.steps,
    guidance: options.guidance,
    seed: options.seed ?? randomInt(0, 2 ** 32),
    sampler,
  };
}

/**
 * Honest outputs: a random-weights pack serves user edits only when the operator allowed it explicitly; a pack
 * whose FaceX weights came out of a training run (`trained: true`, from training/) serves without it. The
 * error every render gets otherwise; undefined when the pack may serve.
 */
export function randomWeightsRefusal(
  manifest: Pick<DiffusionPackManifest, 'name' | 'version' | 'randomWeights' | 'trained'>,
  allowRandomWeights: boolean,
): FacexError | undefined {
  if (!manifest.randomWeights || manifest.trained === true || allowRandomWeights) return undefined;
  return new FacexError(
    'model_pack_invalid',
    `the diffusion pack ${manifest.name}@${manifest.version} has random weights (manifest.randomWeights): it makes no real faces, so user edits are refused unless FACEX_ALLOW_RANDOM_WEIGHTS=1`,
    { field: 'manifest.randomWeights', pack: `${manifest.name}@${manifest.version}` },
  );
}

/** U-Net samples one render takes per step: the conditional half, and the unconditional one unless g = 1. */
export function samplesPerRender(guidance: number): 1 | 2 {
  return guidance === 1 ? 1 : 2;
}
