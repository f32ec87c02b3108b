/**
 * CIELAB (D65) conversion and colour transfer by matching the low band's Lab mean and standard deviation over
 * masks (Reinhard et al.'s transfer, done in CIELAB rather than lαβ). Lab separates lightness from colour, so
 * matching its statistics over two faces' skin moves one face to the other's lighting and skin tone without
 * the hue shifts RGB matching causes. sRGB decoding and encoding go through tables; no per-pixel allocation.
 */
import { FacexError } from '@facex/contracts';
import { expandThrough, gaussianPyramid, lowPass, type FloatPlane, type Plane } from './pyramid';
import type { MaskPlane, RgbImage } from './types';

/** Per-channel mean and standard deviation of L*, a*, b*. */
export interface LabStatistics {
  mean: [number, number, number];
  std: [number, number, number];
}

// D65 white and the sRGB → XYZ matrix (IEC 61966-2-1).
const XN = 0.95047,
  YN = 1,
  ZN = 1.08883;
const EPS = 216 / 24389,
  KAPPA = 24389 / 27;

const SRGB_TO_LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
});
/** Linear → 8-bit sRGB on a fine grid: 4096 steps keep the round trip within one code value. */
const LINEAR_STEPS = 4096;
const LINEAR_TO_SRGB = Uint8Array.from({ length: LINEAR_STEPS + 1 }, (_, i) => {
  const c = i / LINEAR_STEPS;
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
  return Math.round(s * 255);
});

const f = (t: number): number => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
/**
 * f on [0, 1] by linear interpolation in a table, for the per-pixel conversions (Math.cbrt is their costliest
 * step). The error is below 5e-6 (5e-4 in L*), far under one 8-bit code value.
 */
const F_STEPS = 8192;
const F_TABLE = Float64Array.from({ length: F_STEPS + 2 }, (_, i) => f(i / F_STEPS));
function fTabled(t: number): number {
  if (!(t >= 0 && t < 1)) return f(t);
  const u = t * F_STEPS,
    i = u | 0;
  return F_TABLE[i] + (u - i) * (F_TABLE[i + 1] - F_TABLE[i]);
}
const fInverse = (t: number): number => (t * t * t > EPS ? t * t * t : (116 * t - 16) / KAPPA);

function encode(linear: number): number {
  const c = linear <= 0 ? 0 : linear >= 1 ? 1 : linear;
  return LINEAR_TO_SRGB[(c * LINEAR_STEPS + 0.5) | 0];
}

/** Lab of one sRGB pixel written into `out` at `o`. */
function rgbToLabAt(r: number, g: number, b: number, out: Float32Array, o: number): void {
  const lr = SRGB_TO_LINEAR[r],
    lg = SRGB_TO_LINEAR[g],
    lb = SRGB_TO_LINEAR[b];
  const fx = fTabled((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / XN);
  const fy = fTabled((0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb) / YN);
  const fz = fTabled((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / ZN);
  out[o] = 116 * fy - 16;
  out[o + 1] = 500 * (fx - fy);
  out[o + 2] = 200 * (fy - fz);
}

/** sRGB of one Lab colour written into `out` at `o` (out-of-gamut colours are clipped per channel). */
function labToRgbAt(l: number, a: number, bb: number, out: Uint8Array, o: number): void {
  const fy = (l + 16) / 116;
  const x = XN * fInverse(fy + a / 500),
    y = YN * fInverse(fy),
    z = ZN * fInverse(fy - bb / 200);
  out[o] = encode(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
  out[o + 1] = encode(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
  out[o + 2] = encode(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
}

/** The image in CIELAB, interleaved L*, a*, b* per pixel. */
export function rgbToLab(image: RgbImage): Float32Array {
  const { data } = image;
  const out = new Float32Array(data.length);
  for (let p = 0; p < data.length; p += 3) rgbToLabAt(data[p], data[p + 1], data[p + 2], out, p);
  return out;
}

/** Interleaved Lab back to an 8-bit sRGB image. */
export function labToRgb(lab: Float32Array, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < out.length; p += 3) labToRgbAt(lab[p], lab[p + 1], lab[p + 2], out, p);
  return { data: out, width, height };
}

function assertMaskFits(image: RgbImage, mask: MaskPlane, field: string): void {
  if (mask.width !== image.width || mask.height !== image.height || mask.data.length !== image.width * image.height) {
    throw new FacexError('invalid_representation', `${field}: ${mask.width}×${mask.height} does not match the ${image.width}×${image.height} image`, { field });
  }
}

/** Bound of the contrast gain σ_to/σ_from (and of its inverse), so a nearly flat channel does not explode. */
const MAX_GAIN = 1.5;

function boundedGains(from: LabStatistics, to: LabStatistics): number[] {
  return from.std.map((s, c) => Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, s > 1e-6 ? to.std[c] / s : 1)));
}

/** Weighted mean and standard deviation of interleaved Lab values (one weight per pixel); throws when all are 0. */
function weightedStatistics(lab: Float32Array, weights: ArrayLike<number>, field: string): LabStatistics {
  const sum = [0, 0, 0],
    sumSq = [0, 0, 0];
  let weight = 0;
  for (let i = 0, p = 0; i < weights.length; i++, p += 3) {
    const w = weights[i];
    if (w === 0) continue;
    weight += w;
    for (let c = 0; c < 3; c++) {
      sum[c] += w * lab[p + c];
      sumSq[c] += w * lab[p + c] * lab[p + c];
    }
  }
  if (weight === 0) throw new FacexError('invalid_representation', `${field}: the mask selects no pixel`, { field });
  const mean = sum.map((s) => s / weight) as LabStatistics['mean'];
  const std = sumSq.map((s, c) => Math.sqrt(Math.max(0, s / weight - mean[c] * mean[c]))) as LabStatistics['std'];
  return { mean, std };
}

/** The low band is analysed at most this many octaves down (128 px for a 512 px crop): its Lab costs 1/16. */
const ANALYSIS_OCTAVES = 2;

/**
 * The image's low band in Lab at a coarse scale: RGB averaged down ANALYSIS_OCTAVES (or fewer) octaves,
 * converted to Lab there, then low-passed over the remaining octaves. Averaging before the (non-linear) Lab
 * conversion is an approximation that only shifts the band slightly; the pyramid expands results back up.
 */
function coarseLowBand(image: RgbImage, octaves: number): { low: FloatPlane; pyramid: readonly Plane[]; level: number } {
  const { width, height, data } = image;
  const pyramid = gaussianPyramid({ data, width, height, channels: 3 }, Math.min(octaves, ANALYSIS_OCTAVES) + 1);
  const level = pyramid.length - 1;
  const coarse = pyramid[level];
  const lab = new Float32Array(coarse.data.length);
  const rgb = coarse.data;
  for (let p = 0; p < rgb.length; p += 3) rgbToLabAt((rgb[p] + 0.5) | 0, (rgb[p + 1] + 0.5) | 0, (rgb[p + 2] + 0.5) | 0, lab, p);
  return { low: lowPass({ ...coarse, data: lab }, octaves - level), pyramid, level };
}

/**
 * Lab statistics of the image's low frequencies (everything finer than about 2^octaves pixels removed)
 * under the mask: the lighting and skin tone, without the texture, pores and features whose contrast
 * differs with the photo's sharpness rather than its lighting.
 */
export function lowFrequencyLabStatistics(image: RgbImage, mask: MaskPlane, octaves: number, field = 'mask'): LabStatistics {
  assertMaskFits(image, mask, field);
  const { low, level } = coarseLowBand(image, octaves);
  const weights = gaussianPyramid({ data: mask.data, width: mask.width, height: mask.height, channels: 1 }, level + 1)[level];
  return weightedStatistics(low.data, weights.data, field);
}

/**
 * Moves only the image's low frequencies from the statistics `from` to `to` (both from
 * lowFrequencyLabStatistics with the same `octaves`): per Lab channel, low' = (low − μ_from)·σ_to/σ_from + μ_to,
 * and the detail above the low band is kept as it is, so a sharp face keeps its contrast under another
 * face's lighting. Only pixels where `weight` is non-zero change, blended by it; the gain is bounded.
 */
export function transferLowFrequencyLab(image: RgbImage, from: LabStatistics, to: LabStatistics, weight: MaskPlane, octaves: number): RgbImage {
  assertMaskFits(image, weight, 'weight');
  const gain = boundedGains(from, to);
  const { low, pyramid, level } = coarseLowBand(image, octaves);
  // The change of the low band, computed coarse and expanded: a smooth offset field.
  const change = new Float32Array(low.data.length);
  for (let p = 0; p < change.length; p += 3) {
    for (let c = 0; c < 3; c++) change[p + c] = (low.data[p + c] - from.mean[c]) * (gain[c] - 1) + to.mean[c] - from.mean[c];
  }
  const offset = expandThrough({ ...low, data: change }, pyramid, level, weight).data;
  const { data, width, height } = image,
    m = weight.data;
  const out = data.slice();
  const lab = new Float32Array(3);
  const moved = new Uint8Array(3);
  for (let i = 0, p = 0; i < m.length; i++, p += 3) {
    const w = m[i];
    if (w === 0) continue;
    rgbToLabAt(data[p], data[p + 1], data[p + 2], lab, 0);
    labToRgbAt(lab[0] + offset[p], lab[1] + offset[p + 1], lab[2] + offset[p + 2], moved, 0);
    const k = w / 255;
    out[p] = data[p] + k * (moved[0] - data[p]) + 0.5;
    out[p + 1] = data[p + 1] + k * (moved[1] - data[p + 1]) + 0.5;
    out[p + 2] = data[p + 2] + k * (moved[2] - data[p + 2]) + 0.5;
  }
  return { data: out, width, height };
}
