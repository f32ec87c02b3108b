/**
 * A contact sheet: one row per pair, each cell a face's aligned crop at 128 px — the inputs, then every
 * method's output, aligned on the frame face so the cells line up — under a header strip naming each column
 * and beside a strip labelling each row.
 */
import sharp from 'sharp';
import { composeAffine, scaleAffine, warpRgb, type RgbImage } from '@facex/imaging';
import type { Affine2D } from '@facex/contracts';

export const CELL = 128;
const HEADER = 40,
  LABEL = 112,
  FONT = 11,
  LINE = 13;
/** About how many characters of the label font fit a cell's width. */
const CHARS_PER_LINE = 18;

export interface SheetCell {
  image: RgbImage;
  /** Image → the face's 512 px aligned crop. */
  alignment: Affine2D;
}

/** Rows of cells packed into one image; short rows are padded with black. */
export function contactSheet(rows: readonly SheetCell[][]): RgbImage {
  const columns = Math.max(...rows.map((row) => row.length));
  const width = columns * CELL,
    height = rows.length * CELL;
  const data = new Uint8Array(width * height * 3);
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      // Supersampled: warp at 256 px, then average 2 × 2, which keeps the 4× reduction from aliasing.
      const big = warpRgb(cell.image, composeAffine(scaleAffine((2 * CELL) / 512), cell.alignment), 2 * CELL, 2 * CELL).data;
      for (let y = 0; y < CELL; y++) {
        for (let x = 0; x < CELL; x++) {
          const o = ((r * CELL + y) * width + c * CELL + x) * 3,
            p = (2 * y * 2 * CELL + 2 * x) * 3,
            q = p + 2 * CELL * 3;
          for (let k = 0; k < 3; k++) data[o + k] = (big[p + k] + big[p + 3 + k] + big[q + k] + big[q + 3 + k] + 2) >> 2;
        }
      }
    }),
  );
  return { data, width, height };
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Words packed into lines of at most `chars` characters (a longer word gets a line of its own). */
export function wrapLabel(text: string, chars = CHARS_PER_LINE): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= chars) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

function textBlock(lines: readonly string[], x: number, y: number): string {
  return lines
    .map(
      (line, i) =>
        `<text x="${x}" y="${y + i * LINE}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${FONT}" fill="#f0f0f0">${escapeXml(line)}</text>`,
    )
    .join('');
}

/**
 * The sheet as a PNG, with `columns` naming each column in a header strip and `rowLabels` beside each row
 * (labels are wrapped to fit; text is drawn by libvips from an SVG, in whatever sans-serif font it finds).
 */
export async function labelledContactSheet(rows: readonly SheetCell[][], columns: readonly string[], rowLabels: readonly string[]): Promise<Buffer> {
  const grid = contactSheet(rows);
  const width = LABEL + grid.width,
    height = HEADER + grid.height;
  const header = columns.map((name, c) => textBlock(wrapLabel(name).slice(0, 3), LABEL + c * CELL + 4, 13)).join('');
  const labels = rowLabels.map((label, r) => textBlock(wrapLabel(label, 17).slice(0, 8), 4, HEADER + r * CELL + 16)).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${header}${labels}</svg>`;
  return sharp(grid.data, { raw: { width: grid.width, height: grid.height, channels: 3 } })
    .extend({ top: HEADER, left: LABEL, background: { r: 32, g: 32, b: 32 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .removeAlpha()
    .png({ compressionLevel: 9 })
    .toBuffer();
}
