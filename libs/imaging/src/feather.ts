/**
 * Feathering: a box blur of radius r run three times along each axis, ≈ a Gaussian of σ = √(r(r+1)) (each
 * pass adds the box's variance r(r+1)/3), O(pixels) whatever the radius. Outside the
 * plane counts as 0, so a mask touching the border fades out there (a seamless paste-back alpha).
 */
import type { MaskPlane } from './types';

/** One box pass along each row of `src` into `dst`, zero beyond the row's ends. */
function rowPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number): void {
  const scale = 1 / (2 * radius + 1);
  for (let y = 0, start = 0; y < height; y++, start += width) {
    let sum = 0;
    for (let i = 0; i < radius && i < width; i++) sum += src[start + i];
    for (let i = 0; i < width; i++) {
      const enter = i + radius, leave = i - radius - 1;
      if (enter < width) sum += src[start + enter];
      if (leave >= 0) sum -= src[start + leave];
      dst[start + i] = sum * scale;
    }
  }
}

/**
 * The same box pass along every column, walking the rows in order with one running sum per column, so the
 * memory is read row by row (a column at a time would stride by the width). Each column's sums are added
 * and subtracted in the same order as a column-at-a-time pass, so the result is the same to the bit.
 */
function columnPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number, sums: Float64Array): void {
  const scale = 1 / (2 * radius + 1);
  sums.fill(0, 0, width);
  for (let i = 0; i < radius && i < height; i++) {
    for (let x = 0, p = i * width; x < width; x++, p++) sums[x] += src[p];
  }
  for (let i = 0; i < height; i++) {
    const enter = i + radius < height ? (i + radius) * width : -1, leave = i - radius - 1 >= 0 ? (i - radius - 1) * width : -1;
    const row = i * width;
    for (let x = 0; x < width; x++) {
      let sum = sums[x];
      if (enter >= 0) sum += src[enter + x];
      if (leave >= 0) sum -= src[leave + x];
      sums[x] = sum;
      dst[row + x] = sum * scale;
    }
  }
}

// Scratch planes reused across calls (one mask is feathered at a time on a thread).
let planeA = new Float32Array(0), planeB = new Float32Array(0), columnSums = new Float64Array(0);

export function featherMask(mask: MaskPlane, radius: number): MaskPlane {
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`feather radius must be an integer ≥ 0, got ${radius}`);
  const { width, height } = mask;
  if (radius === 0) return { data: mask.data.slice(), width, height };
  const size = mask.data.length;
  if (planeA.length < size) { planeA = new Float32Array(size); planeB = new Float32Array(size); }
  if (columnSums.length < width) columnSums = new Float64Array(width);
  const a = planeA.subarray(0, size), b = planeB.subarray(0, size);
  a.set(mask.data);
  for (let pass = 0; pass < 3; pass++) {
    rowPass(a, b, width, height, radius);
    columnPass(b, a, width, height, radius, columnSums);
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = a[i] + 0.5; // values stay within 0…255, so truncation rounds
  return { data: out, width, height };
}
