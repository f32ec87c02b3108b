/** Grayscale by Rec. 601 luma (Y = 0.299 R + 0.587 G + 0.114 B), the weights of JPEG/BT.601 video. */
import type { MaskPlane, RgbImage } from './types';

/** Luma in fixed point: the weights scaled by 2^16 sum to exactly 65536, so white stays 255. */
const R = 19595, G = 38470, B = 7471;

/** The luma of one pixel, 0…255. */
export function luma(r: number, g: number, b: number): number {
  return (R * r + G * g + B * b + 32768) >>> 16;
}

export function lumaPlane(image: RgbImage): MaskPlane {
  const { data, width, height } = image;
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 3) out[i] = luma(data[p], data[p + 1], data[p + 2]);
  return { data: out, width, height };
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
