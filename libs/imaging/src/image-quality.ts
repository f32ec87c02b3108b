/**
 * Full-reference image quality: RMSE and PSNR over all RGB samples (8-bit scale), and SSIM (Wang et al. 2004)
 * on BT.601 luma with 7 × 7 uniform windows (the window scikit-image uses by default), K1 = 0.01, K2 = 0.03,
 * averaged over every window that fits inside the image. Window sums come from summed-area tables, O(pixels).
 */
import { FacexError } from '@facex/contracts';
import { lumaPlane } from './grayscale';
import type { RgbImage } from './types';

function assertSameImageSize(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) {
    throw new FacexError('invalid_representation', `image: ${a.width}×${a.height} and ${b.width}×${b.height} differ in size`, { field: 'image' });
  }
}

/** Root mean square error over every RGB sample, 0…255. */
export function rootMeanSquareError(a: RgbImage, b: RgbImage): number {
  assertSameImageSize(a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - b.data[i];
    sum += d * d;
  }
  return Math.sqrt(sum / a.data.length);
}

/** Peak signal-to-noise ratio in dB (peak 255); Infinity for identical images. */
export function peakSignalToNoiseRatio(a: RgbImage, b: RgbImage): number {
  const rmse = rootMeanSquareError(a, b);
  return rmse === 0 ? Infinity : 20 * Math.log10(255 / rmse);
}

const WINDOW = 7;

/** Summed-area table with a zero first row and column: (w + 1) × (h + 1). */
function summedArea(values: Float64Array, width: number, height: number): Float64Array {
  const stride = width + 1;
  const table = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x];
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
    }
  }
  return table;
}

/** Mean SSIM of the two images' luma; 1 for identical images. Needs images of at least 7 × 7. */
export function structuralSimilarity(a: RgbImage, b: RgbImage): number {
  assertSameImageSize(a, b);
  const { width, height } = a;
  if (width < WINDOW || height < WINDOW) {
    throw new FacexError('invalid_representation', `image: SSIM needs at least ${WINDOW}×${WINDOW} pixels, got ${width}×${height}`, { field: 'image' });
  }
  const x = lumaPlane(a).data,
    y = lumaPlane(b).data;
  const n = width * height;
  const xs = new Float64Array(n),
    ys = new Float64Array(n),
    xx = new Float64Array(n),
    yy = new Float64Array(n),
    xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = x[i];
    ys[i] = y[i];
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const [sx, sy, sxx, syy, sxy] = [xs, ys, xx, yy, xy].map((v) => summedArea(v, width, height));
  const stride = width + 1,
    count = WINDOW * WINDOW;
  // Sample covariance (N − 1), as the reference implementation uses.
  const unbiased = count / (count - 1);
  const c1 = (0.01 * 255) ** 2,
    c2 = (0.03 * 255) ** 2;
  const windowSum = (t: Float64Array, x0: number, y0: number) =>
    t[(y0 + WINDOW) * stride + x0 + WINDOW] - t[y0 * stride + x0 + WINDOW] - t[(y0 + WINDOW) * stride + x0] + t[y0 * stride + x0];
  let total = 0,
    windows = 0;
  for (let y0 = 0; y0 + WINDOW <= height; y0++) {
    for (let x0 = 0; x0 + WINDOW <= width; x0++, windows++) {
      const mx = windowSum(sx, x0, y0) / count,
        my = windowSum(sy, x0, y0) / count;
      const vx = unbiased * (windowSum(sxx, x0, y0) / count - mx * mx);
      const vy = unbiased * (windowSum(syy, x0, y0) / count - my * my);
      const cov = unbiased * (windowSum(sxy, x0, y0) / count - mx * my);
      total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
  }
  return total / windows;
}
