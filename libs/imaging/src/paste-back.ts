/**
 * Paste-back: the edited aligned crop composited into the full image, out = alpha·crop + (1 − alpha)·image,
 * with alpha a (feathered) mask on the crop, so the seam fades instead of showing the crop's square edge.
 * Only the crop's footprint in the image is visited.
 *
 * A crop shown at under half its size (a 512 px crop of a 60 px face) is read through its box-halved pyramid,
 * blending the two levels around the one that fits (trilinear, as mipmapping does). Bilinear reads of the full
 * crop would skip most of its pixels, and which ones they read changes with every sub-pixel shift of the crop:
 * fine texture aliases, and in a video it crawls from frame to frame (measured in docs/eval/video-stability.md).
 */
import { FacexError, type Affine2D } from '@facex/contracts';
import { applyAffine, invertAffine } from './affine';
import { assertRgbImage, type MaskPlane, type RgbImage } from './types';
import { downsampleRgb2x } from './warp';

/**
 * The pyramid level to read for a map that shows `cropPixelsPerImagePixel` crop pixels per image pixel: 0 (the
 * crop itself) up to 2, then log2 of it − 1 (level 1 at 4), one level finer than one crop pixel per image
 * pixel: a crop cut from a photo holds no finer detail than the photo, and bilinear reads at the photo's own
 * pixel centres give it back nearly exactly, where the halvings at log2 blurred it (self-reenactment 47.6 dB PSNR
 * instead of 51.9, docs/eval/reenact-warp.md); at log2 − 0.5 still 50.9 dB, at log2 − 1 no loss.
 */
export function pasteBackLevel(cropPixelsPerImagePixel: number): number {
  return cropPixelsPerImagePixel > 2 ? Math.log2(cropPixelsPerImagePixel) - 1 : 0;
}

/** `crop` and its box-halved levels down to `levels` below it (fewer when it gets under 2 pixels). */
function halvings(crop: RgbImage, levels: number): RgbImage[] {
  const pyramid = [crop];
  for (let k = 0; k < levels; k++) {
    const last = pyramid[pyramid.length - 1];
    if (last.width < 4 || last.height < 4) break;
    pyramid.push(downsampleRgb2x(last));
  }
  return pyramid;
}

/**
 * Adds `weight` × the bilinear sample of `level` at crop coordinates (sx, sy) to rgb (a block mean of
 * 2^k × 2^k crop pixels sits at the block's centre), clamped to the level's edge pixels.
 */
function addSample(level: RgbImage, k: number, sx: number, sy: number, weight: number, rgb: Float64Array): void {
  const scale = 1 / 2 ** k,
    w = level.width,
    h = level.height;
  let x = (sx + 0.5) * scale - 0.5,
    y = (sy + 0.5) * scale - 0.5;
  x = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  y = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const ix = Math.min(Math.floor(x), w - 2),
    iy = Math.min(Math.floor(y), h - 2);
  const fx = x - ix,
    fy = y - iy;
  const w00 = (1 - fx) * (1 - fy) * weight,
    w10 = fx * (1 - fy) * weight,
    w01 = (1 - fx) * fy * weight,
    w11 = fx * fy * weight;
  const p = (iy * w + ix) * 3,
    row = w * 3,
    d = level.data;
  for (let c = 0; c < 3; c++) rgb[c] += w00 * d[p + c] + w10 * d[p + 3 + c] + w01 * d[p + row + c] + w11 * d[p + row + 3 + c];
}

export function pasteBack(image: RgbImage, crop: RgbImage, cropToImage: Affine2D, alpha: MaskPlane): RgbImage {
  assertRgbImage(image, 'image');
  assertRgbImage(crop, 'crop');
  if (alpha.width !== crop.width || alpha.height !== crop.height) {
    throw new FacexError('invalid_representation', `alpha: ${alpha.width}×${alpha.height} does not match the ${crop.width}×${crop.height} crop`, {
      field: 'alpha',
    });
  }
  const out = image.data.slice();
  const corners = [
    applyAffine(cropToImage, 0, 0),
    applyAffine(cropToImage, crop.width - 1, 0),
    applyAffine(cropToImage, 0, crop.height - 1),
    applyAffine(cropToImage, crop.width - 1, crop.height - 1),
  ];
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0])))),
    x1 = Math.min(image.width - 1, Math.ceil(Math.max(...corners.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1])))),
    y1 = Math.min(image.height - 1, Math.ceil(Math.max(...corners.map((p) => p[1]))));
  const [a, b, c, d, e, f] = invertAffine(cropToImage);
  const cw = crop.width,
    ch = crop.height,
    cd = crop.data,
    ad = alpha.data;
  const level = pasteBackLevel(Math.sqrt(Math.abs(a * e - b * d)));
  const pyramid = halvings(crop, Math.ceil(level));
  // The two levels around `level` (the last one alone where the pyramid ends), and the share of the finer.
  const fine = Math.min(Math.floor(level), pyramid.length - 1);
  const coarse = Math.min(fine + 1, pyramid.length - 1);
  const fineWeight = coarse === fine ? 1 : 1 - (level - fine);
  const rgb = new Float64Array(3);
  for (let y = y0; y <= y1; y++) {
    let sx = a * x0 + b * y + c,
      sy = d * x0 + e * y + f;
    for (let x = x0; x <= x1; x++, sx += a, sy += d) {
      // Inside the crop only; its outermost pixels are where a feathered alpha is already ~0.
      if (sx < 0 || sy < 0 || sx > cw - 1 || sy > ch - 1) continue;
      const ix = Math.min(Math.floor(sx), cw - 2),
        iy = Math.min(Math.floor(sy), ch - 2);
      const fx = sx - ix,
        fy = sy - iy;
      const w00 = (1 - fx) * (1 - fy),
        w10 = fx * (1 - fy),
        w01 = (1 - fx) * fy,
        w11 = fx * fy;
      const m = iy * cw + ix;
      const alphaValue = (w00 * ad[m] + w10 * ad[m + 1] + w01 * ad[m + cw] + w11 * ad[m + cw + 1]) / 255;
      if (alphaValue <= 0) continue;
      const o = (y * image.width + x) * 3;
      if (level === 0) {
        // Not shown smaller: the crop itself, read at the alpha's sample position.
        const p = m * 3,
          row = cw * 3;
        for (let k = 0; k < 3; k++) {
          const q = p + k;
          const value = w00 * cd[q] + w10 * cd[q + 3] + w01 * cd[q + row] + w11 * cd[q + row + 3];
          out[o + k] = alphaValue * value + (1 - alphaValue) * out[o + k] + 0.5;
        }
        continue;
      }
      rgb.fill(0);
      addSample(pyramid[fine], fine, sx, sy, fineWeight, rgb);
      if (fineWeight < 1) addSample(pyramid[coarse], coarse, sx, sy, 1 - fineWeight, rgb);
      for (let k = 0; k < 3; k++) out[o + k] = alphaValue * rgb[k] + (1 - alphaValue) * out[o + k] + 0.5;
    }
  }
  return { data: out, width: image.width, height: image.height };
}
