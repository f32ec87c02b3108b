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
import { nonZeroBox, type PixelBox } from './pixel-box';
import type { MaskPlane, RgbImage } from './types';

const TAPS = [1, 4, 6, 4, 1];

/**
 * The 5 × 5 binomial blur of interleaved 8-bit planes over `box` only (edges of the image repeated), as a
 * box-sized plane: callers read a mask's neighbourhood, not the whole image.
 */
function binomialBlur(data: Uint8Array, width: number, height: number, channels: number, box: PixelBox): Float32Array {
  const w = box.x1 - box.x0 + 1,
    h = box.y1 - box.y0 + 1;
  const stride = width * channels,
    boxStride = w * channels;
  // Rows blurred for the box's rows and the two above and below it.
  const top = Math.max(0, box.y0 - 2),
    bottom = Math.min(height - 1, box.y1 + 2);
  const rows = new Float32Array((bottom - top + 1) * boxStride);
  for (let y = top; y <= bottom; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let k = -2; k <= 2; k++) sum += TAPS[k + 2] * data[y * stride + Math.min(width - 1, Math.max(0, box.x0 + x + k)) * channels + c];
        rows[(y - top) * boxStride + x * channels + c] = sum / 16;
      }
    }
  }
  const out = new Float32Array(h * boxStride);
  for (let y = 0; y < h; y++) {
    for (let i = 0; i < boxStride; i++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += TAPS[k + 2] * rows[(Math.min(bottom, Math.max(top, box.y0 + y + k)) - top) * boxStride + i];
      out[y * boxStride + i] = sum / 16;
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
  const box = nonZeroBox(mask, 0);
  let energy = 0,
    count = 0;
  if (box) {
    const interior = erodeSquare(mask, 2).data;
    const luma = lumaPlane(image).data;
    const blurred = binomialBlur(luma, width, height, 1, box);
    const w = box.x1 - box.x0 + 1;
    for (let y = box.y0; y <= box.y1; y++) {
      for (let x = box.x0, i = y * width + x, b = (y - box.y0) * w; x <= box.x1; x++, i++, b++) {
        if (interior[i] < 128) continue;
        const band = luma[i] - blurred[b];
        energy += band * band;
        count++;
      }
    }
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
  const out = data.slice();
  const box = nonZeroBox(where, 0);
  if (!box) return { data: out, width, height };
  const blurred = binomialBlur(data, width, height, 3, box);
  const w = box.x1 - box.x0 + 1;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0, i = y * width + x, b = 3 * (y - box.y0) * w; x <= box.x1; x++, i++, b += 3) {
      const m = where.data[i];
      if (m === 0) continue;
      const k = ((gain - 1) * m) / 255;
      for (let c = 0; c < 3; c++) {
        const v = data[3 * i + c] + k * (data[3 * i + c] - blurred[b + c]);
        out[3 * i + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  }
  return { data: out, width, height };
}
