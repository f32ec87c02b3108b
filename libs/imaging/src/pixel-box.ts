/** Boxes of pixels: where a mask is non-zero, so that work on a mostly empty plane can skip the rest. */
import type { MaskPlane } from './types';

/** Inclusive pixel bounds. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The smallest box holding every non-zero alpha pixel, grown by `margin` and clipped; null when alpha is all 0. */
export function nonZeroBox(alpha: MaskPlane, margin: number): PixelBox | null {
  const { width, height, data } = alpha;
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(width - 1, x1 + margin), y1: Math.min(height - 1, y1 + margin) };
}
