/**
 * High-frequency energy: how much fine detail (pores, hair strands, lashes, lip lines) an area holds. The
 * finest band of the luma, luma − its binomial blur (5 × 5, [1 4 6 4 1]/16 per axis, σ ≈ 1 px), squared and
 * averaged over the mask pixels (≥ 128) whose whole 5 × 5 neighbourhood lies in the mask, so that a seam
 * along the mask's edge is not counted. A flat or blurred fill has almost none; a real face area of the same
 * size and sharpness has about the same as another.
 */
import { FacexError } from '@facex/contracts';
import { lumaPlane } from './grayscale';
import { erodeSquare } from './morphology';
import type { MaskPlane, RgbImage } from './types';

const TAPS = [1, 4, 6, 4, 1];

/** Mean squared finest-band luma over the mask's interior; throws when the interior is empty. */
export function highFrequencyEnergy(image: RgbImage, mask: MaskPlane, field = 'mask'): number {
  const { width, height } = image;
  if (mask.width !== width || mask.height !== height) {
    throw new FacexError('invalid_representation', `${field}: ${mask.width}×${mask.height} does not fit the ${width}×${height} image`, { field });
  }
  const interior = erodeSquare(mask, 2).data;
  const luma = lumaPlane(image).data;
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += TAPS[k + 2] * luma[y * width + Math.min(width - 1, Math.max(0, x + k))];
      rows[y * width + x] = sum / 16;
    }
  }
  let energy = 0, count = 0;
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      if (interior[i] < 128) continue;
      let blurred = 0;
      for (let k = -2; k <= 2; k++) blurred += TAPS[k + 2] * rows[i + k * width];
      const band = luma[i] - blurred / 16;
      energy += band * band;
      count++;
    }
  }
  if (count === 0) throw new FacexError('invalid_representation', `${field}: the mask has no interior pixel`, { field });
  return energy / count;
}
