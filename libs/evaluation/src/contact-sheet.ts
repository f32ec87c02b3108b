/**
 * A contact sheet: one row per pair, each cell a face's aligned crop at 128 px — the source, the target (or
 * driving face), then every method's output, aligned on the frame face so the cells line up.
 */
import { composeAffine, scaleAffine, warpRgb, type RgbImage } from '@facex/imaging';
import type { Affine2D } from '@facex/contracts';

export const CELL = 128;

export interface SheetCell {
  image: RgbImage;
  /** Image → the face's 512 px aligned crop. */
  alignment: Affine2D;
}

/** Rows of cells packed into one image; short rows are padded with black. */
export function contactSheet(rows: readonly SheetCell[][]): RgbImage {
  const columns = Math.max(...rows.map((row) => row.length));
  const width = columns * CELL, height = rows.length * CELL;
  const data = new Uint8Array(width * height * 3);
  rows.forEach((row, r) => row.forEach((cell, c) => {
    // Supersampled: warp at 256 px, then average 2 × 2, which keeps the 4× reduction from aliasing.
    const big = warpRgb(cell.image, composeAffine(scaleAffine((2 * CELL) / 512), cell.alignment), 2 * CELL, 2 * CELL).data;
    for (let y = 0; y < CELL; y++) {
      for (let x = 0; x < CELL; x++) {
        const o = ((r * CELL + y) * width + c * CELL + x) * 3, p = (2 * y * 2 * CELL + 2 * x) * 3, q = p + 2 * CELL * 3;
        for (let k = 0; k < 3; k++) data[o + k] = (big[p + k] + big[p + 3 + k] + big[q + k] + big[q + 3 + k] + 2) >> 2;
      }
    }
  }));
  return { data, width, height };
}
