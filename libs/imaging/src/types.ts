/**
 * Pixel containers. Images are 8-bit RGB, interleaved (r, g, b per pixel), row-major, no padding; masks are
 * one 8-bit plane, 0 (outside) … 255 (inside). Coordinates put pixel (x, y) at the point (x, y).
 */
import { FacexError } from '@facex/contracts';

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface MaskPlane {
  data: Uint8Array;
  width: number;
  height: number;
}

export function createMask(width: number, height: number, fill = 0): MaskPlane {
  const data = new Uint8Array(width * height);
  if (fill !== 0) data.fill(fill);
  return { data, width, height };
}

export function createRgbImage(width: number, height: number): RgbImage {
  return { data: new Uint8Array(width * height * 3), width, height };
}

/** Throws FacexError('corrupt_image') naming `field` when the buffer does not hold width × height RGB pixels. */
export function assertRgbImage(image: RgbImage, field: string): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 3) {
    throw new FacexError('corrupt_image', `${field}: expected ${width}×${height}×3 bytes of RGB, got ${data.length}`, { field });
  }
}

/** Throws FacexError('invalid_representation') naming `field` when two masks differ in size. */
export function assertSameSize(a: MaskPlane, b: MaskPlane, field: string): void {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) {
    throw new FacexError('invalid_representation', `${field}: masks of ${a.width}×${a.height} and ${b.width}×${b.height} differ in size`, { field });
  }
}
