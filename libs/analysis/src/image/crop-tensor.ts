import type { Affine2D } from '@facex/contracts';
import { invertAffine, type RgbImage } from '@facex/imaging';

/** How 0…255 pixel values map into a model's input range: value · scale + offset. */
export interface ValueRange {
  scale: number;
  offset: number;
}
export const UNIT_RANGE: ValueRange = { scale: 1 / 255, offset: 0 };
export const SIGNED_UNIT_RANGE: ValueRange = { scale: 2 / 255, offset: -1 };
export const BYTE_RANGE: ValueRange = { scale: 1, offset: 0 };

export interface CropOptions {
  /** Image → crop similarity or affine map. */
  matrix: Affine2D;
  width: number;
  height: number;
  range: ValueRange;
  /** Mirror the crop horizontally (models trained on one eye or one side). */
  mirror?: boolean;
}

/**
 * Samples a crop of `image` into a float NHWC tensor (batch 1) in one pass: inverse mapping with bilinear
 * interpolation (pixel (x, y) sits at the point (x, y), as everywhere in @facex/imaging), black outside. When the crop shrinks the image by more than 2×,
 * the source is first box-averaged so that small model inputs do not alias.
 */
export function cropToTensor(image: RgbImage, options: CropOptions, out?: Float32Array, outOffset = 0): Float32Array {
  const { width, height, range } = options;
  const scale = Math.sqrt(Math.abs(options.matrix[0] * options.matrix[4] - options.matrix[1] * options.matrix[3]));
  const factor = scale < 0.5 ? Math.floor(1 / scale) : 1;
  const source = factor > 1 ? downscaled(image, factor) : image;
  const [a, b, tx, c, d, ty] = factor > 1 ? scaleSource(options.matrix, factor) : options.matrix;
  const [ia, ib, itx, ic, id, ity] = invertAffine([a, b, tx, c, d, ty]);
  const target = out ?? new Float32Array(width * height * 3);
  const { data, width: sw, height: sh } = source;
  let o = outOffset;
  for (let v = 0; v < height; v++) {
    for (let uu = 0; uu < width; uu++) {
      const u = options.mirror ? width - 1 - uu : uu;
      const x = ia * u + ib * v + itx;
      const y = ic * u + id * v + ity;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      for (let ch = 0; ch < 3; ch++) {
        const p00 = pixel(data, sw, sh, x0, y0, ch);
        const p10 = pixel(data, sw, sh, x0 + 1, y0, ch);
        const p01 = pixel(data, sw, sh, x0, y0 + 1, ch);
        const p11 = pixel(data, sw, sh, x0 + 1, y0 + 1, ch);
        const value = (p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy;
        target[o++] = value * range.scale + range.offset;
      }
    }
  }
  return target;
}

function pixel(data: Uint8Array, width: number, height: number, x: number, y: number, channel: number): number {
  return x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * 3 + channel];
}

/** The same map expressed on a source that was box-downscaled by `factor`. */
function scaleSource(m: Affine2D, factor: number): Affine2D {
  const shift = (factor - 1) / 2;
  // a pixel centre (X, Y) of the small image sits at (factor·X + shift) in the original
  return [m[0] * factor, m[1] * factor, m[2] + (m[0] + m[1]) * shift, m[3] * factor, m[4] * factor, m[5] + (m[3] + m[4]) * shift];
}

/** Box-downscaled copies per image and factor, so that many crops of one image (detector tiles) share them. */
const reductions = new WeakMap<RgbImage, Map<number, RgbImage>>();

function downscaled(image: RgbImage, factor: number): RgbImage {
  let byFactor = reductions.get(image);
  if (!byFactor) reductions.set(image, (byFactor = new Map()));
  let reduced = byFactor.get(factor);
  if (!reduced) byFactor.set(factor, (reduced = boxDownscale(image, factor)));
  return reduced;
}

/** Averages factor × factor blocks (the last partial row/column blocks average what they have). */
export function boxDownscale(image: RgbImage, factor: number): RgbImage {
  const width = Math.ceil(image.width / factor);
  const height = Math.ceil(image.height / factor);
  const sums = new Uint32Array(width * 3);
  const counts = new Uint32Array(width);
  const data = new Uint8Array(width * height * 3);
  for (let Y = 0; Y < height; Y++) {
    sums.fill(0);
    counts.fill(0);
    const yEnd = Math.min(image.height, (Y + 1) * factor);
    for (let y = Y * factor; y < yEnd; y++) {
      let i = y * image.width * 3;
      for (let x = 0; x < image.width; x++) {
        const X = (x / factor) | 0;
        sums[X * 3] += image.data[i++];
        sums[X * 3 + 1] += image.data[i++];
        sums[X * 3 + 2] += image.data[i++];
        counts[X]++;
      }
    }
    let o = Y * width * 3;
    for (let X = 0; X < width; X++) {
      const n = counts[X];
      data[o++] = (sums[X * 3] + (n >> 1)) / n;
      data[o++] = (sums[X * 3 + 1] + (n >> 1)) / n;
      data[o++] = (sums[X * 3 + 2] + (n >> 1)) / n;
    }
  }
  return { width, height, data };
}
