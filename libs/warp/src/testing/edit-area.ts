import { applyAffine, dilateSquare, invertAffine, type RgbImage } from '@facex/imaging';
import type { WarpEdit } from '../render-warp-edit';

/** Every image pixel whose point in the crop lies where the (slightly dilated) paste-back alpha is 0. */
export function unchangedOutsideEdit(edit: WarpEdit, original: RgbImage): { outside: number; changed: number } {
  const alpha = dilateSquare(edit.alpha, 2);
  const toCrop = invertAffine(edit.cropToImage);
  let outside = 0,
    changed = 0;
  const { width, height, data } = original;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [u, v] = applyAffine(toCrop, x, y);
      const iu = Math.round(u),
        iv = Math.round(v);
      const inside = iu >= 0 && iv >= 0 && iu < alpha.width && iv < alpha.height && alpha.data[iv * alpha.width + iu] > 0;
      if (inside) continue;
      outside++;
      const p = (y * width + x) * 3;
      if (edit.image.data[p] !== data[p] || edit.image.data[p + 1] !== data[p + 1] || edit.image.data[p + 2] !== data[p + 2]) changed++;
    }
  return { outside, changed };
}
