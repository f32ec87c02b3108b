/**
 * Feathering: a box blur of radius r run three times along each axis, ≈ a Gaussian of σ = √(r(r+1)) (each
 * pass adds the box's variance r(r+1)/3), O(pixels) whatever the radius. Outside the
 * plane counts as 0, so a mask touching the border fades out there (a seamless paste-back alpha).
 */
import type { MaskPlane } from './types';

/** One box pass over `length` values at `start + i·step` of `src` into `dst`, zero outside. */
function boxPass(src: Float32Array, dst: Float32Array, start: number, step: number, length: number, radius: number): void {
  const scale = 1 / (2 * radius + 1);
  let sum = 0;
  for (let i = 0; i < radius && i < length; i++) sum += src[start + i * step];
  for (let i = 0; i < length; i++) {
    const enter = i + radius, leave = i - radius - 1;
    if (enter < length) sum += src[start + enter * step];
    if (leave >= 0) sum -= src[start + leave * step];
    dst[start + i * step] = sum * scale;
  }
}

export function featherMask(mask: MaskPlane, radius: number): MaskPlane {
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`feather radius must be an integer ≥ 0, got ${radius}`);
  const { width, height } = mask;
  if (radius === 0) return { data: mask.data.slice(), width, height };
  let a = Float32Array.from(mask.data);
  let b = new Float32Array(a.length);
  for (let pass = 0; pass < 3; pass++) {
    for (let y = 0; y < height; y++) boxPass(a, b, y * width, 1, width, radius);
    [a, b] = [b, a];
    for (let x = 0; x < width; x++) boxPass(a, b, x, width, height, radius);
    [a, b] = [b, a];
  }
  const out = new Uint8Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = a[i] + 0.5; // values stay within 0…255, so truncation rounds
  return { data: out, width, height };
}
