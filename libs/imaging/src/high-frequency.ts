/**
 * The finest band of an image: the image minus its binomial blur (5 × 5, [1 4 6 4 1]/16 per axis, σ ≈ 1 px),
 * where pores, hair strands, lashes and lip lines live, and where two photos of different sharpness or grain
 * differ most.
 *
 * High-frequency energy: the finest band of the luma, squared and averaged over the mask pixels (≥ 128) whose
 * whole 5 × 5 neighbourhood lies in the mask, so that a seam along the mask's edge is not counted. A flat or
 * blurred fill has almost none; a real face area of the same size and sharpness has about the same as another.
 */
import { FacexError } from '@facex/contracts';
import { lumaPlane } from './grayscale';
import { erodeSquare } from './morphology';
import type { MaskPlane, RgbImage } from './types';

const TAPS = [1, 4, 6, 4, 1];

/** The 5 × 5 binomial blur of interleaved 8-bit planes (edges repeated). */
function binomialBlur(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const rows = new Float32Array(data.length);
  const stride = width * channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = -2; k <= 2; k++) sum += TAPS[k + 2] * data[y * stride + Math.min(width - 1, Math.max(0, x + k)) * channels + c];
        rows[y * stride + x * channels + c] = sum / 16;
      }
    }
  }
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let i = y * stride, end = i + stride; i < end; i++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += TAPS[k + 2] * rows[Math.min(height - 1, Math.max(0, y + k)) * stride + (i - y * stride)];
      out[i] = sum / 16;
    }
  }
  return out;
}

function assertFits(image: RgbImage, mask: MaskPlane, field: string): void {
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new FacexError('invalid_representation', `${field}: ${mask.width}×${mask.height} does not fit the ${image.width}×${image.height} image`, { field });
  }
}

/** Mean squared finest-band luma over the mask's interior; throws when the interior is empty. */
export function highFrequencyEnergy(image: RgbImage, mask: MaskPlane, field = 'mask'): number {
  assertFits(image, mask, field);
  const { width, height } = image;
  const interior = erodeSquare(mask, 2).data;
  const luma = lumaPlane(image).data;
  const blurred = binomialBlur(luma, width, height, 1);
  let energy = 0, count = 0;
  for (let i = 0; i < interior.length; i++) {
    if (interior[i] < 128) continue;
    const band = luma[i] - blurred[i];
    energy += band * band;
    count++;
  }
  if (count === 0) throw new FacexError('invalid_representation', `${field}: the mask has no interior pixel`, { field });
  return energy / count;
}

/**
 * The image with its finest band multiplied by `gain` where `where` is non-zero (blended by it): below 1 softens
 * detail, above 1 sharpens it, so a transplant can take the grain of the photo it lands in.
 */
export function scaleFinestBand(image: RgbImage, gain: number, where: MaskPlane): RgbImage {
  assertFits(image, where, 'where');
  const { data, width, height } = image;
  const blurred = binomialBlur(data, width, height, 3);
  const out = data.slice();
  for (let i = 0, p = 0; i < where.data.length; i++, p += 3) {
    const w = where.data[i];
    if (w === 0) continue;
    const k = ((gain - 1) * w) / 255;
    for (let c = p; c < p + 3; c++) {
      const v = data[c] + k * (data[c] - blurred[c]);
      out[c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
    }
  }
  return { data: out, width, height };
}
