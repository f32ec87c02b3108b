/**
 * Paste-back: the edited aligned crop composited into the full image, out = alpha·crop + (1 − alpha)·image,
 * with alpha a (feathered) mask on the crop, so the seam fades instead of showing the crop's square edge.
 * Only the crop's footprint in the image is visited.
 */
import { FacexError, type Affine2D } from '@facex/contracts';
import { applyAffine, invertAffine } from './affine';
import { assertRgbImage, type MaskPlane, type RgbImage } from './types';

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
      const p = m * 3,
        o = (y * image.width + x) * 3,
        row = cw * 3;
      for (let k = 0; k < 3; k++) {
        const q = p + k;
        const value = w00 * cd[q] + w10 * cd[q + 3] + w01 * cd[q + row] + w11 * cd[q + row + 3];
        out[o + k] = alphaValue * value + (1 - alphaValue) * out[o + k] + 0.5;
      }
    }
  }
  return { data: out, width: image.width, height: image.height };
}
