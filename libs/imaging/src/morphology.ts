/**
 * Dilation and erosion in time independent of the radius.
 * - Square structuring element, (2r+1)²: van Herk/Gil-Werman running max/min, separable, exact on soft masks.
 * - Disc (Euclidean) structuring element: exact squared Euclidean distance transform (Felzenszwalb–
 *   Huttenlocher), on the binarised mask (≥ 128 is inside); the result is binary (0/255).
 * Pixels outside the plane never contribute (dilation does not grow from the border, erosion does not eat it).
 */
import { squaredDistanceToMask } from './distance-transform';
import { binarizeMask } from './mask-logic';
import type { MaskPlane } from './types';

function assertRadius(radius: number): void {
  if (!Number.isFinite(radius) || radius < 0) throw new RangeError(`radius must be a finite number ≥ 0, got ${radius}`);
}

/**
 * Running max (or min) over a window of 2r+1 on `length` values read from `src` at `start + i·step`,
 * written to `dst` the same way. `pad` holds length + 2r values; prefix/suffix are the same size.
 */
function runningExtremum(
  src: Uint8Array, dst: Uint8Array, start: number, step: number, length: number, radius: number,
  isMax: boolean, pad: Uint8Array, prefix: Uint8Array, suffix: Uint8Array,
): void {
  const window = 2 * radius + 1;
  const padded = length + 2 * radius;
  const neutral = isMax ? 0 : 255;
  pad.fill(neutral, 0, radius);
  pad.fill(neutral, radius + length, padded);
  for (let i = 0; i < length; i++) pad[radius + i] = src[start + i * step];
  // prefix: extremum from the start of each block of `window` values; suffix: to the end of the block.
  for (let i = 0; i < padded; i++) {
    const v = pad[i];
    if (i % window === 0) prefix[i] = v;
    else { const p = prefix[i - 1]; prefix[i] = isMax ? (v > p ? v : p) : (v < p ? v : p); }
  }
  for (let i = padded - 1; i >= 0; i--) {
    const v = pad[i];
    if (i === padded - 1 || (i + 1) % window === 0) suffix[i] = v;
    else { const s = suffix[i + 1]; suffix[i] = isMax ? (v > s ? v : s) : (v < s ? v : s); }
  }
  // The window [i, i + 2r] of the padded line spans at most two blocks: suffix of one, prefix of the next.
  for (let i = 0; i < length; i++) {
    const s = suffix[i], p = prefix[i + 2 * radius];
    dst[start + i * step] = isMax ? (s > p ? s : p) : (s < p ? s : p);
  }
}

function squareFilter(mask: MaskPlane, radius: number, isMax: boolean): MaskPlane {
  assertRadius(radius);
  const r = Math.floor(radius);
  const { width, height } = mask;
  if (r === 0) return { data: mask.data.slice(), width, height };
  const longest = Math.max(width, height) + 2 * r;
  const pad = new Uint8Array(longest), prefix = new Uint8Array(longest), suffix = new Uint8Array(longest);
  const rows = new Uint8Array(mask.data.length);
  for (let y = 0; y < height; y++) runningExtremum(mask.data, rows, y * width, 1, width, r, isMax, pad, prefix, suffix);
  const out = new Uint8Array(mask.data.length);
  for (let x = 0; x < width; x++) runningExtremum(rows, out, x, width, height, r, isMax, pad, prefix, suffix);
  return { data: out, width, height };
}

/** Grayscale dilation by a (2r+1)² square; r is floored; r = 0 returns a copy. */
export function dilateSquare(mask: MaskPlane, radius: number): MaskPlane {
  return squareFilter(mask, radius, true);
}

/** Grayscale erosion by a (2r+1)² square; r is floored; r = 0 returns a copy. */
export function erodeSquare(mask: MaskPlane, radius: number): MaskPlane {
  return squareFilter(mask, radius, false);
}

/** Binary dilation by a disc of `radius` pixels (a pixel joins when an inside pixel lies within the radius). */
export function dilateDisc(mask: MaskPlane, radius: number): MaskPlane {
  assertRadius(radius);
  if (radius === 0) return binarizeMask(mask);
  return withinDistance(squaredDistanceToMask(mask, { limit: radius }), mask, radius * radius, true);
}

/**
 * Binary erosion by a disc: a pixel stays when no outside pixel lies within the radius. Pixels beyond the
 * plane are not outside, so the border is not eaten.
 */
export function erodeDisc(mask: MaskPlane, radius: number): MaskPlane {
  assertRadius(radius);
  if (radius === 0) return binarizeMask(mask);
  return withinDistance(squaredDistanceToMask(mask, { toOutside: true, limit: radius }), mask, radius * radius, false);
}

/** 255 where the squared distance is within `limit` (or beyond it, when `within` is false). */
function withinDistance(distances: Float64Array, mask: MaskPlane, limit: number, within: boolean): MaskPlane {
  const out = new Uint8Array(distances.length);
  for (let i = 0; i < out.length; i++) out[i] = (distances[i] <= limit) === within ? 255 : 0;
  return { data: out, width: mask.width, height: mask.height };
}
