/**
 * Pixel ↔ tensor conversions at the generator's edges: 8-bit interleaved RGB to the VAE's planar [-1, 1]
 * input and back, the fusion mask pooled to latent resolution, and the 2× RGB upsample that brings a 256 px
 * render back to the 512 px crop. One pass each, typed arrays only.
 */
import { FacexError } from '@facex/contracts';
import type { MaskPlane, RgbImage } from '@facex/imaging';

/** Interleaved RGB → planar [3, h, w] in [-1, 1], written into `out` at `offset` (batched encoder inputs). */
export function rgbToSignedPlanes(image: RgbImage, out: Float32Array, offset = 0): void {
  const plane = image.width * image.height;
  const { data } = image;
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[offset + i] = data[p] / 127.5 - 1;
    out[offset + plane + i] = data[p + 1] / 127.5 - 1;
    out[offset + 2 * plane + i] = data[p + 2] / 127.5 - 1;
  }
}

/** Planar [3, h, w] in [-1, 1] (the VAE decoder's output, unclamped) → interleaved 8-bit RGB, rounded. */
export function signedPlanesToRgb(planes: Float32Array, width: number, height: number): RgbImage {
  const plane = width * height;
  if (planes.length !== 3 * plane) {
    throw new FacexError('model_pack_invalid', `the VAE decoder returned ${planes.length} values for a ${width}×${height} RGB image`, { field: 'image' });
  }
  const out = new Uint8Array(3 * plane);
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    for (let c = 0; c < 3; c++) {
      const value = (planes[c * plane + i] + 1) * 127.5 + 0.5;
      out[p + c] = value <= 0 ? 0 : value >= 255 ? 255 : value | 0;
    }
  }
  return { data: out, width, height };
}

/**
 * The fusion mask as MaskedFusion reads it: the mean of each side/latentSide block, 0…1. A latent pixel is
 * exactly 0 only where its whole block is 0, so the kept target latents cover only pixels the mask keeps.
 */
export function latentFusionMask(mask: MaskPlane, latentSide: number): Float32Array {
  const side = mask.width;
  if (mask.height !== side || side % latentSide !== 0) {
    throw new FacexError('invalid_representation', `fusionMask: ${mask.width}×${mask.height} cannot pool to ${latentSide}×${latentSide} latents`, {
      field: 'fusionMask',
    });
  }
  const block = side / latentSide;
  const sums = new Float32Array(latentSide * latentSide);
  const { data } = mask;
  for (let y = 0; y < side; y++) {
    const row = ((y / block) | 0) * latentSide;
    for (let x = 0, i = y * side; x < side; x++, i++) sums[row + ((x / block) | 0)] += data[i];
  }
  const scale = 1 / (255 * block * block);
  for (let i = 0; i < sums.length; i++) sums[i] = Math.min(1, sums[i] * scale);
  return sums;
}

/**
 * An image at twice the size, bilinear, edges clamped. Output pixel centres sit at (x + 0.5) / 2 − 0.5 in the
 * source, the inverse of imaging's downsampleRgb2x (2×2 block means), so a 256 px render lands where the
 * 512 px crop it was made from is.
 */
export function upsampleRgb2x(image: RgbImage): RgbImage {
  const { width: w, height: h, data } = image;
  const ow = 2 * w,
    oh = 2 * h;
  const out = new Uint8Array(ow * oh * 3);
  for (let y = 0; y < oh; y++) {
    // Row y samples source row y/2 − 1/4: 3/4 of row y >> 1, 1/4 of the row above (even y) or below (odd y).
    const near = y >> 1,
      far = y & 1 ? Math.min(h - 1, near + 1) : Math.max(0, near - 1);
    const r0 = near * w * 3,
      r1 = far * w * 3;
    for (let x = 0; x < ow; x++) {
      const cn = x >> 1,
        cf = x & 1 ? Math.min(w - 1, cn + 1) : Math.max(0, cn - 1);
      const o = (y * ow + x) * 3;
      for (let c = 0; c < 3; c++) {
        const nn = data[r0 + cn * 3 + c],
          nf = data[r0 + cf * 3 + c],
          fn = data[r1 + cn * 3 + c],
          ff = data[r1 + cf * 3 + c];
        // Weights 9, 3, 3, 1 (of 16): 3/4 · 3/4 on the nearest source pixel.
        out[o + c] = (9 * nn + 3 * nf + 3 * fn + ff + 8) >> 4;
      }
    }
  }
  return { data: out, width: ow, height: oh };
}
