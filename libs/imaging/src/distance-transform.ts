/**
 * Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012): O(pixels), separable.
 * Along columns the input is binary, so the 1D distance is two linear sweeps; along rows it is the lower
 * envelope of parabolas.
 */
import type { MaskPlane } from './types';

const FAR = 1e20;

/** 1D transform of `f` (length n) into `d`, using scratch `v` (n) and `z` (n + 1). */
function transformLine(f: Float64Array, d: Float64Array, n: number, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/**
 * Squared distance from every pixel to the nearest pixel at or above `threshold` (0 inside). A plane with
 * no inside pixel gives distances ≥ 1e20.
 */
export function squaredDistanceToMask(mask: MaskPlane, threshold = 128): Float64Array {
  const { width, height, data } = mask;
  const out = new Float64Array(width * height);
  const f = new Float64Array(width), d = new Float64Array(width);
  const v = new Int32Array(width), z = new Float64Array(width + 1);
  // Columns: distance to the nearest inside pixel above, then below; stored squared.
  for (let x = 0; x < width; x++) {
    let gap = FAR;
    for (let y = 0, i = x; y < height; y++, i += width) {
      gap = data[i] >= threshold ? 0 : gap + 1;
      out[i] = gap;
    }
    gap = FAR;
    for (let y = height - 1, i = x + y * width; y >= 0; y--, i -= width) {
      gap = data[i] >= threshold ? 0 : gap + 1;
      const nearest = gap < out[i] ? gap : out[i];
      out[i] = nearest >= FAR ? FAR : nearest * nearest;
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
