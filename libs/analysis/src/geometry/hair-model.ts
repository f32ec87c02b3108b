/**
 * The per-face hair colour model behind the hair and ear planes. Hair colour is seeded from person-mask
 * pixels in a band just above and around the forehead (outside the face oval, above the brow line, within
 * HAIR_SEED_REACH_PER_IOD of the oval); skin colour from the face's skin region below the brows (bangs stay
 * out). Each is a full-covariance Gaussian in CIELAB. A pixel's hair probability is the posterior of three
 * classes: hair, skin and "other" (a flat density at the level the hair Gaussian has OTHER_D2 away from
 * its mean), so clothes and background that resemble neither colour score low instead of being forced into
 * one of the two.
 *
 * Fallbacks, when the colours cannot be learned:
 * - seed pixels that look like skin (within SKIN_LIKE_D2 of the skin Gaussian: a bald scalp, forehead the
 *   oval missed) are dropped from the hair seed; if less than MIN_SEED_PER_IOD2 · IOD² of seed is left (a
 *   bald or shaved head, or a person mask that stops at the forehead), there is no hair model and the hair
 *   plane stays empty: claiming clothes or background as hair would be worse than claiming nothing;
 * - without any skin pixels (no oval on the crop) hair is told only from "other" (no skin class).
 */
import { ColourGaussian, fitColourGaussian, mahalanobis2 } from './colour-gaussian';
import { depthAlong, FaceFrame } from './face-frame';

/** The hair seed band reaches this far from the oval, in inter-ocular distances. */
export const HAIR_SEED_REACH_PER_IOD = 0.6;
/** The spatial prior is 1 up to this distance from the oval and falls to 0 at HAIR_PRIOR_ZERO_PER_IOD. */
export const HAIR_PRIOR_FULL_PER_IOD = 0.5;
export const HAIR_PRIOR_ZERO_PER_IOD = 1.5;
/** Least hair seed (after dropping skin-like pixels) for a hair Gaussian, in IOD². */
export const MIN_SEED_PER_IOD2 = 0.08;
/** Seed pixels closer than this (squared Mahalanobis) to the skin Gaussian are taken for skin. */
export const SKIN_LIKE_D2 = 6;
/** Squared Mahalanobis distance at which "other" becomes as likely as the hair Gaussian. */
export const OTHER_D2 = 16;
/** Variance floors (L, a, b): lighting noise and JPEG blur make colours vary at least this much. */
const MIN_VARIANCE: readonly [number, number, number] = [16, 4, 4];
/** Seeds take confident pixels only. */
const SEED_PERSON = 0.5;
const SEED_SKIN = 0.9;
const SEED_OUTSIDE_OVAL = 0.95;

export interface HairColourModel {
  hair: ColourGaussian | null;
  skin: ColourGaussian | null;
}

export interface HairSeedInputs {
  /** Interleaved L, a, b per grid pixel. */
  lab: Float32Array;
  /** Person mask on the crop, 0…1. */
  person: Float32Array;
  /** Face oval coverage on the crop, 0…1. */
  oval: Float32Array;
  /** The skin plane (0…255) on the crop. */
  skin: Uint8Array;
  /** Squared distance (crop pixels²) of each pixel to the face oval. */
  squaredDistanceToOval: Float64Array;
  frame: FaceFrame;
  /** Crop width (= height). */
  size: number;
}

/** Learns the hair and skin colours of one face from the seeds described in the header. */
export function fitHairColourModel({ lab, person, oval, skin, squaredDistanceToOval, frame, size }: HairSeedInputs): HairColourModel {
  const weights = new Float32Array(size * size);
  // Depth below the eye line, stepped along rows (no per-pixel projection call).
  const depthStep = frame.downX;
  for (let y = 0, p = 0; y < size; y++) {
    let depth = depthAlong(frame, 0, y);
    for (let x = 0; x < size; x++, p++, depth += depthStep) {
      if (skin[p] >= 255 * SEED_SKIN && person[p] >= SEED_PERSON && depth > frame.browDepth) weights[p] = 1;
    }
  }
  const skinModel = fitColourGaussian(lab, weights, MIN_VARIANCE);
  const reach2 = (HAIR_SEED_REACH_PER_IOD * frame.interOcular) ** 2;
  let seed = 0;
  for (let y = 0, p = 0; y < size; y++) {
    let depth = depthAlong(frame, 0, y);
    for (let x = 0; x < size; x++, p++, depth += depthStep) {
      weights[p] = 0;
      if (person[p] < SEED_PERSON || 1 - oval[p] < SEED_OUTSIDE_OVAL || squaredDistanceToOval[p] > reach2 || depth >= frame.browDepth) continue;
      if (skinModel && mahalanobis2(skinModel, lab[3 * p], lab[3 * p + 1], lab[3 * p + 2]) < SKIN_LIKE_D2) continue;
      weights[p] = person[p];
      seed += person[p];
    }
  }
  const enough = seed >= MIN_SEED_PER_IOD2 * frame.interOcular ** 2;
  return { hair: enough ? fitColourGaussian(lab, weights, MIN_VARIANCE) : null, skin: skinModel };
}

/**
 * Scores the colour (l, a, b) into `out`: out[0] = P(hair | colour) among hair, skin and other (the hair
 * plane's colour term); out[1] = P(hair | colour) between hair and skin only (what rejects an ear that looks
 * like hair). Writes into `out` so the per-pixel loop allocates nothing.
 */
export function scoreHairColour(model: HairColourModel, l: number, a: number, b: number, out: Float64Array): void {
  const { hair, skin } = model;
  if (!hair) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  // Log-likelihoods up to a shared constant. P(hair) = 1 / (1 + e^(skin − hair) + e^(other − hair)); the
  // ratios are clamped so that exp stays on its fast path (far-off colours give huge distances) while the
  // result stays exact to float precision.
  const logHair = -0.5 * (mahalanobis2(hair, l, a, b) + hair.logDet);
  const logOther = -0.5 * (OTHER_D2 + hair.logDet);
  const skinOverHair = skin ? Math.exp(clampLogRatio(-0.5 * (mahalanobis2(skin, l, a, b) + skin.logDet) - logHair)) : 0;
  out[0] = 1 / (1 + skinOverHair + Math.exp(clampLogRatio(logOther - logHair)));
  out[1] = 1 / (1 + skinOverHair);
}

const LOG_RATIO_LIMIT = 40;

function clampLogRatio(x: number): number {
  return x > LOG_RATIO_LIMIT ? LOG_RATIO_LIMIT : x < -LOG_RATIO_LIMIT ? -LOG_RATIO_LIMIT : x;
}

/**
 * Spatial prior of hair at squared distance `squaredDistance` (crop pixels²) from the face oval: 1 near the
 * head, a smooth fall to 0 between HAIR_PRIOR_FULL_PER_IOD and HAIR_PRIOR_ZERO_PER_IOD, so far shoulders and
 * the neighbours' heads drop out.
 */
export function headProximityPrior(squaredDistance: number, interOcular: number): number {
  const t = (Math.sqrt(squaredDistance) / interOcular - HAIR_PRIOR_FULL_PER_IOD) / (HAIR_PRIOR_ZERO_PER_IOD - HAIR_PRIOR_FULL_PER_IOD);
  if (t <= 0) return 1;
  if (t >= 1) return 0;
  return 1 - t * t * (3 - 2 * t);
}
