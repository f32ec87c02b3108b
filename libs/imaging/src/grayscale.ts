/** Grayscale by Rec. 601 luma (Y = 0.299 R + 0.587 G + 0.114 B), the weights of JPEG/BT.601 video. */
import { FacexError } from '@facex/contracts';
import { nonZeroRows } from './mask-logic';
import type { MaskPlane, RgbImage } from './types';

/** Luma in fixed point: the weights scaled by 2^16 sum to exactly 65536, so white stays 255. */
const R = 19595,
  G = 38470,
  B = 7471;

/** Rec. 601 luma of one colour, unrounded (0…255 for 8-bit channels). */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function lumaPlane(image: RgbImage): MaskPlane {
  const { data, width, height } = image;
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 3) {
    out[i] = (R * data[p] + G * data[p + 1] + B * data[p + 2] + 32768) >>> 16;
  }
  return { data: out, width, height };
}

/**
 * Writes the grayscale of `from` into `into` (same size) where `where` is non-zero; elsewhere `into` is left
 * as it is and `from` is not read. In place: no luma plane is made for pixels that are never used.
 */
export function grayscaleInto(into: RgbImage, from: RgbImage, where: MaskPlane): void {
  if (from.width !== into.width || from.height !== into.height || where.width !== into.width || where.height !== into.height) {
    throw new FacexError('invalid_representation', `where: the images and the mask differ in size`, { field: 'where' });
  }
  const out = into.data,
    src = from.data,
    mask = where.data;
  const { first, last } = nonZeroRows(where);
  for (let i = first * where.width, end = (last + 1) * where.width, p = 3 * i; i < end; i++, p += 3) {
    if (mask[i] !== 0) out[p] = out[p + 1] = out[p + 2] = (R * src[p] + G * src[p + 1] + B * src[p + 2] + 32768) >>> 16;
  }
}

/** The image with every pixel replaced by its luma on all three channels. */
export function grayscaleRgb(image: RgbImage): RgbImage {
  const luma = lumaPlane(image).data;
  const out = new Uint8Array(image.data.length);
  for (let i = 0, p = 0; i < luma.length; i++, p += 3) {
    out[p] = out[p + 1] = out[p + 2] = luma[i];
  }
  return { data: out, width: image.width, height: image.height };
}
