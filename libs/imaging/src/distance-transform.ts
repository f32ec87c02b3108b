/**
 * Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012): O(pixels), separable.
 * Along columns the input is binary, so the 1D distance is two linear sweeps; along rows it is the lower
 * envelope of parabolas, built from the finite entries only (a `limit` makes most entries infinite, which
 * is what keeps a query near a small mask cheap). The disc morphology does not need the distances
 * themselves and uses a cheaper integer test (morphology.ts).
 */
import type { MaskPlane } from './types';

/** The distance reported where no target pixel is near enough (larger than any real squared distance). */
export const FAR_DISTANCE = 1e20;

export interface DistanceOptions {
  /** Mask values at or above it are inside. */
  threshold?: number;
  /** Measure the distance to the nearest outside pixel instead of the nearest inside one. */
  toOutside?: boolean;
  /** Pixels farther than this from every target pixel may be reported as FAR_DISTANCE. */
  limit?: number;
}

/** 1D transform of `f` (length n) into `d`, using scratch `v` (n) and `z` (n + 1). */
function transformLine(f: Float64Array, d: Float64Array, n: number, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq >= FAR_DISTANCE) continue; // an infinite parabola is never the lowest
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let s = (fq + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (fq + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(FAR_DISTANCE, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * Squared distance from every pixel to the nearest target pixel (inside the mask, or outside it with
 * `toOutside`); 0 on target pixels. Pixels beyond the plane are never targets.
 */
export function squaredDistanceToMask(mask: MaskPlane, options: DistanceOptions = {}): Float64Array {
  const { threshold = 128, toOutside = false, limit = Infinity } = options;
  const { width, height, data } = mask;
  const out = new Float64Array(width * height);
  const f = new Float64Array(width),
    d = new Float64Array(width);
  const v = new Int32Array(width),
    z = new Float64Array(width + 1);
  const isTarget = (value: number) => value >= threshold !== toOutside;
  const cap = limit + 1; // column gaps beyond the limit cannot matter
  // Columns: distance to the nearest target pixel above, then below; stored squared.
  for (let x = 0; x < width; x++) {
    let gap = cap;
    for (let y = 0, i = x; y < height; y++, i += width) {
      gap = isTarget(data[i]) ? 0 : gap < cap ? gap + 1 : cap;
      out[i] = gap;
    }
    gap = cap;
    for (let y = height - 1, i = x + y * width; y >= 0; y--, i -= width) {
      gap = isTarget(data[i]) ? 0 : gap < cap ? gap + 1 : cap;
      const nearest = gap < out[i] ? gap : out[i];
      out[i] = nearest >= cap ? FAR_DISTANCE : nearest * nearest;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = out[row + x];
    transformLine(f, d, width, v, z);
    for (let x = 0; x < width; x++) out[row + x] = d[x];
  }
  return out;
}
