/**
 * Dilation and erosion in time independent of the radius.
 * - Square structuring element, (2r+1)²: van Herk/Gil-Werman running max/min, separable, exact on soft masks
 *   (the 3 × 3 square directly, three taps per pass).
 * - Disc (Euclidean) structuring element: the exact Euclidean criterion d² ≤ r², on the binarised mask
 *   (≥ 128 is inside), from column gaps and row sweeps (see discFilter); the result is binary (0/255).
 * Pixels outside the plane never contribute (dilation does not grow from the border, erosion does not eat it).
 */
import { nonZeroRows } from './mask-logic';
import type { MaskPlane } from './types';

function assertRadius(radius: number): void {
  if (!Number.isFinite(radius) || radius < 0) throw new RangeError(`radius must be a finite number ≥ 0, got ${radius}`);
}

/**
 * Running max (or min) over a window of 2r+1 on `length` values read from `src` at `start + i·step`,
 * written to `dst` the same way. `pad` holds length + 2r values; prefix/suffix are the same size.
 */
function runningExtremum(
  src: Uint8Array,
  dst: Uint8Array,
  start: number,
  step: number,
  length: number,
  radius: number,
  isMax: boolean,
  pad: Uint8Array,
  prefix: Uint8Array,
  suffix: Uint8Array,
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
    else {
      const p = prefix[i - 1];
      prefix[i] = isMax ? (v > p ? v : p) : v < p ? v : p;
    }
  }
  for (let i = padded - 1; i >= 0; i--) {
    const v = pad[i];
    if (i === padded - 1 || (i + 1) % window === 0) suffix[i] = v;
    else {
      const s = suffix[i + 1];
      suffix[i] = isMax ? (v > s ? v : s) : v < s ? v : s;
    }
  }
  // The window [i, i + 2r] of the padded line spans at most two blocks: suffix of one, prefix of the next.
  for (let i = 0; i < length; i++) {
    const s = suffix[i],
      p = prefix[i + 2 * radius];
    dst[start + i * step] = isMax ? (s > p ? s : p) : s < p ? s : p;
  }
}

/** The 3 × 3 case (r = 1, the seam closing of every warp edit) directly: three taps per pass, row-major. */
function squareFilter3(mask: MaskPlane, isMax: boolean): MaskPlane {
  const { width, height, data } = mask;
  // One comparison serves both: negating the operands turns max into min.
  const sign = isMax ? 1 : -1;
  const pick = (a: number, b: number): number => (sign * a < sign * b ? b : a);
  const rows = new Uint8Array(data.length),
    out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width,
      last = row + width - 1;
    for (let i = row; i <= last; i++) rows[i] = pick(pick(data[i > row ? i - 1 : i], data[i]), data[i < last ? i + 1 : i]);
  }
  for (let y = 0; y < height; y++) {
    const row = y * width,
      above = y > 0 ? row - width : row,
      below = y + 1 < height ? row + width : row;
    for (let x = 0; x < width; x++) out[row + x] = pick(pick(rows[above + x], rows[row + x]), rows[below + x]);
  }
  return { data: out, width, height };
}

function squareFilter(mask: MaskPlane, radius: number, isMax: boolean): MaskPlane {
  assertRadius(radius);
  const r = Math.floor(radius);
  const { width, height } = mask;
  if (r === 0) return { data: mask.data.slice(), width, height };
  if (r === 1) return squareFilter3(mask, isMax);
  const longest = Math.max(width, height) + 2 * r;
  const pad = new Uint8Array(longest),
    prefix = new Uint8Array(longest),
    suffix = new Uint8Array(longest);
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

/** Largest integer whose square is at most `value` (a non-negative integer). */
function integerSqrt(value: number): number {
  let root = Math.floor(Math.sqrt(value));
  while (root * root > value) root--;
  while ((root + 1) * (root + 1) <= value) root++;
  return root;
}

// Scratch reused across calls (planes are filtered one at a time on a thread): the column gaps.
let gapScratch = new Int32Array(0);

/**
 * Binary disc filter: `reached` where a target pixel (inside the mask, or outside it with `targetsOutside`)
 * lies within `radius`, else `unreached`. The squared Euclidean distance to the nearest target is
 * min over x' of (x − x')² + g(x')², g being the vertical gap to the nearest target in column x'. So each
 * column x' reaches the pixels of the row within ⌊√(r² − g²)⌋ of it, and a row is two sweeps over those
 * reaches. Integer, row-major, and exactly the distance-transform criterion d² ≤ r².
 */
function discFilter(mask: MaskPlane, radius: number, targetsOutside: boolean, reached: number, unreached: number): MaskPlane {
  assertRadius(radius);
  const { width, height, data } = mask;
  // Beyond (w + h)² every pair of pixels is within reach; clamping keeps the integer arithmetic exact.
  const squared = Math.min(Math.floor(radius * radius), (width + height) ** 2);
  const cap = Math.min(integerSqrt(squared) + 1, height + 1); // a column gap this large reaches nothing
  const reachOfGap = new Int32Array(cap + 1);
  for (let gap = 0; gap < cap; gap++) reachOfGap[gap] = Math.min(integerSqrt(squared - gap * gap), width);
  reachOfGap[cap] = -1;
  if (gapScratch.length < data.length) gapScratch = new Int32Array(data.length);
  const up = gapScratch,
    down = new Int32Array(width).fill(cap),
    rowReach = new Int32Array(width);
  // Only the rows around the mask's non-zero rows are visited; every pixel of a visited row is written.
  // Inside targets: rows farther than the cap from them are unreached. Outside targets: a row with nothing
  // inside is all targets, reached, and bounds the gaps of the rows next to it.
  const rows = nonZeroRows(mask);
  const margin = targetsOutside ? 1 : cap;
  const top = Math.max(0, rows.first - margin),
    bottom = Math.min(height - 1, rows.last + margin);
  const out = new Uint8Array(data.length);
  const unvisited = targetsOutside ? reached : unreached;
  if (unvisited !== 0) {
    out.fill(unvisited, 0, top * width);
    out.fill(unvisited, (bottom + 1) * width);
  }
  // Gap to the nearest target above (or on) each pixel, capped. Row `top` needs nothing above it: no target
  // lies within the cap there, or the row is all targets.
  for (let x = 0, i = top * width; x < width; x++, i++) up[i] = data[i] >= 128 !== targetsOutside ? 0 : cap;
  for (let i = (top + 1) * width, end = (bottom + 1) * width; i < end; i++) {
    const above = up[i - width];
    up[i] = data[i] >= 128 !== targetsOutside ? 0 : above < cap ? above + 1 : cap;
  }
  for (let y = bottom; y >= top; y--) {
    const row = y * width;
    // Gap to the nearest target below (or on), the nearer of the two, and the left-to-right sweep.
    let cover = -1,
      any = false;
    for (let x = 0, i = row; x < width; x++, i++) {
      const below = down[x];
      const gapDown = data[i] >= 128 !== targetsOutside ? 0 : below < cap ? below + 1 : cap;
      down[x] = gapDown;
      const reach = reachOfGap[gapDown < up[i] ? gapDown : up[i]];
      rowReach[x] = reach;
      if (reach >= 0) {
        any = true;
        if (x + reach > cover) cover = x + reach;
      }
      out[i] = cover >= x ? reached : unreached;
    }
    if (!any) continue;
    let low = width;
    for (let x = width - 1, i = row + x; x >= 0; x--, i--) {
      const reach = rowReach[x];
      if (reach >= 0 && x - reach < low) low = x - reach;
      if (low <= x) out[i] = reached;
    }
  }
  return { data: out, width, height };
}

/** Binary dilation by a disc of `radius` pixels (a pixel joins when an inside pixel lies within the radius). */
export function dilateDisc(mask: MaskPlane, radius: number): MaskPlane {
  return discFilter(mask, radius, false, 255, 0);
}

/**
 * Binary erosion by a disc: a pixel stays when no outside pixel lies within the radius. Pixels beyond the
 * plane are not outside, so the border is not eaten.
 */
export function erodeDisc(mask: MaskPlane, radius: number): MaskPlane {
  return discFilter(mask, radius, true, 0, 255);
}
