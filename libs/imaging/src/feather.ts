/**
 * Feathering: a box blur of radius r run three times along each axis, ≈ a Gaussian of σ = √(r(r+1)) (each
 * pass adds the box's variance r(r+1)/3), O(pixels) whatever the radius. Outside the
 * plane counts as 0, so a mask touching the border fades out there (a seamless paste-back alpha).
 */
import { nonZeroBox } from './pixel-box';
import { scratchFloat32 } from './scratch';
import type { MaskPlane } from './types';

/** One box pass along the row of `src` starting at `start`, into `dst`, zero beyond the row's ends. */
function rowPass(src: Float32Array, dst: Float32Array, start: number, width: number, radius: number, scale: number): void {
  let sum = 0;
  for (let i = 0; i < radius && i < width; i++) sum += src[start + i];
  for (let i = 0; i < width; i++) {
    const enter = i + radius,
      leave = i - radius - 1;
    if (enter < width) sum += src[start + enter];
    if (leave >= 0) sum -= src[start + leave];
    dst[start + i] = sum * scale;
  }
}

/**
 * rowPass on four rows at once. A running sum is a chain of dependent additions; four independent chains
 * overlap in the CPU instead of each waiting on its own previous add.
 */
function fourRowPass(src: Float32Array, dst: Float32Array, r0: number, width: number, radius: number, scale: number): void {
  const r1 = r0 + width,
    r2 = r1 + width,
    r3 = r2 + width;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let i = 0; i < radius && i < width; i++) {
    s0 += src[r0 + i];
    s1 += src[r1 + i];
    s2 += src[r2 + i];
    s3 += src[r3 + i];
  }
  for (let i = 0; i < width; i++) {
    const enter = i + radius,
      leave = i - radius - 1;
    if (enter < width) {
      s0 += src[r0 + enter];
      s1 += src[r1 + enter];
      s2 += src[r2 + enter];
      s3 += src[r3 + enter];
    }
    if (leave >= 0) {
      s0 -= src[r0 + leave];
      s1 -= src[r1 + leave];
      s2 -= src[r2 + leave];
      s3 -= src[r3 + leave];
    }
    dst[r0 + i] = s0 * scale;
    dst[r1 + i] = s1 * scale;
    dst[r2 + i] = s2 * scale;
    dst[r3 + i] = s3 * scale;
  }
}

function rowPasses(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number): void {
  const scale = 1 / (2 * radius + 1);
  let y = 0;
  for (; y + 4 <= height; y += 4) fourRowPass(src, dst, y * width, width, radius, scale);
  for (; y < height; y++) rowPass(src, dst, y * width, width, radius, scale);
}

/**
 * The same box pass along every column, walking the rows in order with one running sum per column, so the
 * memory is read row by row (a column at a time would stride by the width). Each column's sums are added
 * and subtracted in the same order as a column-at-a-time pass, so the result is the same to the bit.
 */
function columnPasses(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number, sums: Float64Array): void {
  const scale = 1 / (2 * radius + 1);
  sums.fill(0, 0, width);
  for (let i = 0; i < radius && i < height; i++) {
    for (let x = 0, p = i * width; x < width; x++, p++) sums[x] += src[p];
  }
  for (let i = 0; i < height; i++) {
    const row = i * width,
      enter = (i + radius) * width,
      leave = (i - radius - 1) * width;
    const enters = i + radius < height,
      leaves = i - radius - 1 >= 0;
    // One loop per case, so that the inner loops carry no branches.
    if (enters && leaves) {
      for (let x = 0; x < width; x++) {
        let sum = sums[x] + src[enter + x];
        sum -= src[leave + x];
        sums[x] = sum;
        dst[row + x] = sum * scale;
      }
    } else if (enters) {
      for (let x = 0; x < width; x++) {
        const sum = sums[x] + src[enter + x];
        sums[x] = sum;
        dst[row + x] = sum * scale;
      }
    } else if (leaves) {
      for (let x = 0; x < width; x++) {
        const sum = sums[x] - src[leave + x];
        sums[x] = sum;
        dst[row + x] = sum * scale;
      }
    } else {
      for (let x = 0; x < width; x++) dst[row + x] = sums[x] * scale;
    }
  }
}

/** Each of the three passes per axis spreads a mask by `radius`: beyond 3·radius of its non-zero pixels it stays 0. */
export function featherMask(mask: MaskPlane, radius: number): MaskPlane {
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`feather radius must be an integer ≥ 0, got ${radius}`);
  const { width, height } = mask;
  if (radius === 0) return { data: mask.data.slice(), width, height };
  const out = new Uint8Array(mask.data.length);
  const box = nonZeroBox(mask, 3 * radius);
  if (!box) return { data: out, width, height };
  // Only the box is blurred: outside it everything is 0, and at a clipped side the plane's own edge (0 beyond) is the box's.
  const w = box.x1 - box.x0 + 1,
    h = box.y1 - box.y0 + 1,
    size = w * h;
  const a = scratchFloat32('feather.a', size),
    b = scratchFloat32('feather.b', size),
    columnSums = new Float64Array(w);
  for (let y = 0; y < h; y++) a.set(mask.data.subarray((box.y0 + y) * width + box.x0, (box.y0 + y) * width + box.x0 + w), y * w);
  for (let pass = 0; pass < 3; pass++) {
    rowPasses(a, b, w, h, radius);
    columnPasses(b, a, w, h, radius, columnSums);
  }
  for (let y = 0; y < h; y++) {
    // Values stay within 0…255, so truncation after adding ½ rounds.
    for (let x = 0, i = y * w, o = (box.y0 + y) * width + box.x0; x < w; x++, i++, o++) out[o] = (a[i] + 0.5) | 0;
  }
  return { data: out, width, height };
}
