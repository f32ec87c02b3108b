/**
 * Pixel measures of an edit against the untouched frame it was pasted into, on the full-resolution image (the
 * masks are the Region Assembler's, brought from the aligned crop into the image):
 *
 * - seam energy: the mean squared derivative of luma (BT.601, 0…255) along the normal of the edit region's
 *   boundary, over a thin band around it (± `margin` / 2 pixels). The edit region is where the output differs
 *   from the untouched frame by more than EDIT_THRESHOLD levels (any channel) inside the edit area (the fusion
 *   mask's footprint), closed by `margin` so that pockets where the edit happens to match the frame do not
 *   count: its boundary is where the generated pixels meet the frame's, wherever the generator put that join
 *   (at the fusion mask's edge for a paste, further in where a generator keeps the frame inside the mask). The
 *   normal is the gradient direction of the region blurred by `margin`. A seam is a step across the boundary,
 *   which this energy sees and texture running along the boundary barely does; the ratio to the same
 *   statistic of the untouched frame at the same pixels is ≈ 1 for an invisible join, and 1 when nothing
 *   changed at all.
 * - high-frequency energy: the mean squared finest band of luma (luma minus its one-octave low pass, i.e.
 *   detail finer than about 2 px) inside a region eroded by 2 px (so the region's own outline does not
 *   count). A flat fill scores ≈ 0; the ratio to the untouched frame's same pixels is 1 for as much detail.
 * - changed outside: pixels outside the edit area whose colour differs at all from the untouched frame.
 */
import { FacexError } from '@facex/contracts';
import { dilateSquare, erodeSquare, featherMask, lowPass, nonZeroBox, type FloatPlane, type MaskPlane, type PixelBox, type RgbImage } from '@facex/imaging';

/** A change of more than this many levels (0…255, any channel) is part of the edit region. */
export const EDIT_THRESHOLD = 12;
const BAND_LOW = Math.round(0.02 * 255),
  BAND_HIGH = Math.round(0.98 * 255);
const HIGH_FREQUENCY_EROSION = 2;

function assertFrame(image: RgbImage, other: RgbImage | MaskPlane, field: string): void {
  if (image.width !== other.width || image.height !== other.height) {
    throw new FacexError('invalid_representation', `${field}: ${other.width}×${other.height} does not match the ${image.width}×${image.height} image`, {
      field,
    });
  }
}

/** BT.601 luma of `image` inside `box`, as floats (no rounding: the derivatives of rounding noise would count). */
function boxLuma(image: RgbImage, box: PixelBox): FloatPlane {
  const width = box.x1 - box.x0 + 1,
    height = box.y1 - box.y0 + 1;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0, p = ((box.y0 + y) * image.width + box.x0) * 3; x < width; x++, p += 3) {
      out[y * width + x] = 0.299 * image.data[p] + 0.587 * image.data[p + 1] + 0.114 * image.data[p + 2];
    }
  }
  return { data: out, width, height, channels: 1 };
}

/** A boundary band: its pixels and each one's unit normal. */
export interface SeamBand {
  box: PixelBox;
  /** Indices into the box (row-major) and the normal (nx, ny) at each. */
  pixels: Int32Array;
  normals: Float32Array;
}

/**
 * The band where `alpha` climbs from 2 % to 98 %, widened by `widen` pixels, with normals from `alpha` blurred
 * by `smoothing` pixels; null when there is none.
 */
export function seamBand(alpha: MaskPlane, widen: number, smoothing = Math.max(1, widen)): SeamBand | null {
  const box = nonZeroBox(alpha, widen + 2);
  if (!box) return null;
  const { width } = alpha;
  const transition: MaskPlane = { data: alpha.data.map((a) => (a >= BAND_LOW && a <= BAND_HIGH ? 255 : 0)), width, height: alpha.height };
  const band = dilateSquare(transition, widen);
  const smooth = featherMask(alpha, Math.max(1, smoothing));
  const boxWidth = box.x1 - box.x0 + 1;
  const pixels: number[] = [],
    normals: number[] = [];
  for (let y = Math.max(box.y0, 1); y <= Math.min(box.y1, alpha.height - 2); y++) {
    for (let x = Math.max(box.x0, 1); x <= Math.min(box.x1, width - 2); x++) {
      const i = y * width + x;
      if (band.data[i] === 0) continue;
      const gx = smooth.data[i + 1] - smooth.data[i - 1],
        gy = smooth.data[i + width] - smooth.data[i - width];
      const length = Math.hypot(gx, gy);
      if (length === 0) continue;
      pixels.push((y - box.y0) * boxWidth + (x - box.x0));
      normals.push(gx / length, gy / length);
    }
  }
  return pixels.length === 0 ? null : { box, pixels: Int32Array.from(pixels), normals: Float32Array.from(normals) };
}

/** Mean squared luma derivative along the band's normals (central differences). */
export function seamEnergy(image: RgbImage, band: SeamBand): number {
  const luma = boxLuma(image, band.box);
  const { width, height, data } = luma;
  let sum = 0,
    count = 0;
  for (let k = 0; k < band.pixels.length; k++) {
    const i = band.pixels[k],
      x = i % width,
      y = (i - x) / width;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) continue;
    const derivative = (band.normals[2 * k] * (data[i + 1] - data[i - 1]) + band.normals[2 * k + 1] * (data[i + width] - data[i - width])) / 2;
    sum += derivative * derivative;
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Where `output` differs from `untouched` by more than EDIT_THRESHOLD inside `area`, closed by `radius` and
 * softened by 1 px; null when nothing there changed that much.
 */
export function editRegion(output: RgbImage, untouched: RgbImage, area: MaskPlane, radius: number): MaskPlane | null {
  assertFrame(untouched, output, 'output');
  assertFrame(untouched, area, 'area');
  const data = new Uint8Array(area.data.length);
  let any = false;
  for (let i = 0, p = 0; i < data.length; i++, p += 3) {
    if (area.data[i] === 0) continue;
    const difference = Math.max(
      Math.abs(output.data[p] - untouched.data[p]),
      Math.abs(output.data[p + 1] - untouched.data[p + 1]),
      Math.abs(output.data[p + 2] - untouched.data[p + 2]),
    );
    if (difference > EDIT_THRESHOLD) {
      data[i] = 255;
      any = true;
    }
  }
  if (!any) return null;
  const closed = erodeSquare(dilateSquare({ data, width: area.width, height: area.height }, radius), radius);
  return featherMask(closed, 1);
}

/**
 * Seam energy of the output over that of the untouched frame, at the boundary of the output's edit region
 * inside `area` (the edit area, image frame); 1 when nothing changed.
 */
export function seamRatio(output: RgbImage, untouched: RgbImage, area: MaskPlane, margin: number): number {
  const region = editRegion(output, untouched, area, margin);
  if (!region) return 1;
  const band = seamBand(region, Math.round(margin / 2), margin);
  return band ? seamEnergy(output, band) / seamEnergy(untouched, band) : Number.NaN;
}

/** Mean squared finest luma band inside `region` (non-zero), eroded by 2 px; NaN when nothing is left. */
export function highFrequencyEnergy(image: RgbImage, region: MaskPlane): number {
  assertFrame(image, region, 'region');
  const inside = erodeSquare({ data: region.data.map((v) => (v === 0 ? 0 : 255)), width: region.width, height: region.height }, HIGH_FREQUENCY_EROSION);
  const box = nonZeroBox(inside, 4);
  if (!box) return Number.NaN;
  const luma = boxLuma(image, box);
  const low = lowPass(luma, 1);
  let sum = 0,
    count = 0;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      if (inside.data[y * image.width + x] === 0) continue;
      const i = (y - box.y0) * luma.width + (x - box.x0);
      const detail = luma.data[i] - low.data[i];
      sum += detail * detail;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** High-frequency energy of the output's region over the untouched frame's same pixels. */
export function highFrequencyRatio(output: RgbImage, untouched: RgbImage, region: MaskPlane): number {
  assertFrame(untouched, output, 'output');
  return highFrequencyEnergy(output, region) / highFrequencyEnergy(untouched, region);
}

/** Pixels outside `area` (where it is 0) whose colour differs from the untouched frame, and the largest difference. */
export function changedOutside(output: RgbImage, untouched: RgbImage, area: MaskPlane): { pixels: number; maxDifference: number } {
  assertFrame(untouched, output, 'output');
  assertFrame(untouched, area, 'area');
  let pixels = 0,
    maxDifference = 0;
  for (let i = 0, p = 0; i < area.data.length; i++, p += 3) {
    if (area.data[i] !== 0) continue;
    const difference = Math.max(
      Math.abs(output.data[p] - untouched.data[p]),
      Math.abs(output.data[p + 1] - untouched.data[p + 1]),
      Math.abs(output.data[p + 2] - untouched.data[p + 2]),
    );
    if (difference > 0) pixels++;
    maxDifference = Math.max(maxDifference, difference);
  }
  return { pixels, maxDifference };
}
