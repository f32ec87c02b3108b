/** Reading single pixels of assembler outputs in tests. */
import type { Affine2D } from '@facex/contracts';
import { applyAffine, type MaskPlane, type RgbImage } from '@facex/imaging';

export function rgbAt(image: RgbImage, [x, y]: readonly [number, number]): number[] {
  const p = (Math.round(y) * image.width + Math.round(x)) * 3;
  return Array.from(image.data.subarray(p, p + 3));
}

export function maskAt(mask: MaskPlane, [x, y]: readonly [number, number]): number {
  return mask.data[Math.round(y) * mask.width + Math.round(x)];
}

/** A point carried by a matrix. */
export function carry(matrix: Affine2D, [x, y]: readonly [number, number]): [number, number] {
  return applyAffine(matrix, x, y);
}

/** Byte-for-byte equality of two buffers (jest's deep equality is slow on large typed arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
