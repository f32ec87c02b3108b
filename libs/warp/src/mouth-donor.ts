/**
 * A face-bank donor's open mouth, lent to a mouth a motion edit opens on a face whose own mouth is closed (see
 * mouth-interior.ts): the frame has no teeth to show, and a dark oval alone does not pass for a real mouth.
 *   - Which faces may lend: those whose inner lips are apart by at least MIN_TEETH_OPENING of the mouth's
 *     width, and whose opening shows an upper teeth band (upperTeeth): bright, low-saturation pixels
 *     starting just below the upper inner lip.
 *   - Colour: the donor's interior is white-balanced on its own teeth (teeth stay neutral whatever the donor's
 *     light was, but for a little of the frame's skin hue) and scaled by the brightness of the skin around the
 *     frame's mouth over the donor's.
 *   - Detail: a donor sharper than the frame's photo has its mouth's finest band softened to the photo's
 *     (softenedTo), or crisp teeth in a soft photo look pasted in.
 */
import type { DonorRef } from '@facex/contracts';
import { luma, rasterizePolygon, scaleFinestBand, type MaskPlane, type RgbImage } from '@facex/imaging';
import { MESH_ANNOTATIONS } from './topology';
import { mouthFrame, openingOf } from './mouth-opening';

/** A donor's open mouth, ready to carry (points: its mesh on its crop). */
export interface MouthDonor {
  ref: Omit<DonorRef, 'coverage'>;
  /** Its 512 px aligned crop. */
  crop: RgbImage;
  /** MESH_POINTS × (x, y) on that crop. */
  points: Float32Array;
  /** Its upper teeth band (upperTeeth). */
  teeth: UpperTeeth;
}

/**
 * Inner lips apart by less than this share of the inner-lip width show at most the teeth's edge: of the bank's
 * faces, those open 0.13…0.33 show their upper teeth between the lips, those at 0.08 and below show lips meeting.
 */
export const MIN_TEETH_OPENING = 0.12;
/** Teeth: at least this bright against the skin around the mouth, and at most this saturated ((max − min) / max). */
const TEETH_LUMA = 0.8,
  TEETH_SATURATION = 0.35;
/** A depth row across the mouth belongs to the teeth band when at least this share of its opening pixels are teeth. */
const TEETH_ROW_SHARE = 0.4;
/**
 * Upper teeth start within this share of the opening below the upper inner lip: FORD's lip line often lies inside the
 * lip, up to half the opening above the teeth (a broad smile); a band starting lower is the lower teeth.
 */
const TEETH_START = 0.55;
/** The band must be at least this thick (share of the mouth's width) to count as teeth rather than a highlight. */
const MIN_TEETH_BAND = 0.04;
/** Only the middle of the mouth is read for the band: towards the corners a smile's teeth curve up out of the row. */
const BAND_HALF_WIDTH = 0.35;
/** Bounds on the gains: a white balance or a light so far off is a measurement gone wrong, not a photo. */
const MIN_BALANCE = 0.6,
  MAX_BALANCE = 1.6,
  MIN_BRIGHTNESS = 0.5,
  MAX_BRIGHTNESS = 2;
/** How much of the frame skin's hue the neutral teeth take (an exponent on its channels over its luma). */
const SKIN_TINT = 0.3;
/** The skin around the mouth: the outer lips' box grown by this share of its width on each side, lips left out. */
const SKIN_MARGIN = 0.3;

/** The least gain on the donor's finest band (softenedTo): teeth are softened to a soft photo, never sharpened. */
const MIN_DETAIL_GAIN = 0.3;
/** The softened area: the donor's opening's box grown by this (crop pixels), so the bilinear reads at its edge are soft too. */
const SOFTEN_MARGIN = 4;

/** The outer lip contour, corner to corner along the lower lip and back along the upper one. */
const OUTER_LIPS: readonly number[] = [...MESH_ANNOTATIONS.lipsLowerOuter, ...[...MESH_ANNOTATIONS.lipsUpperOuter].reverse()];

function isTooth(r: number, g: number, b: number, skinLuma: number): boolean {
  const most = Math.max(r, g, b);
  return luma(r, g, b) >= TEETH_LUMA * skinLuma && most > 0 && (most - Math.min(r, g, b)) / most <= TEETH_SATURATION;
}

/** The inner-lip gap over the inner-lip width. */
export function openingRatio(points: Float32Array): number {
  const opening = openingOf(points);
  return opening.gap / (opening.width || 1);
}

/** The skin around a mouth: its median luma and per-channel median colour. */
export interface SkinTone {
  luma: number;
  colour: [number, number, number];
}

/** The skin around the outer lips (points: the mesh on `crop`). */
export function skinAroundMouth(crop: RgbImage, points: Float32Array): SkinTone {
  const ring = OUTER_LIPS.flatMap((i) => [points[2 * i], points[2 * i + 1]]);
  const xs = ring.filter((_, k) => k % 2 === 0),
    ys = ring.filter((_, k) => k % 2 === 1);
  const margin = SKIN_MARGIN * (Math.max(...xs) - Math.min(...xs));
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - margin)),
    x1 = Math.min(crop.width - 1, Math.ceil(Math.max(...xs) + margin));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - margin)),
    y1 = Math.min(crop.height - 1, Math.ceil(Math.max(...ys) + margin));
  const w = x1 - x0 + 1;
  const lips = x1 < x0 || y1 < y0 ? new Float32Array(0) : rasterizePolygon([ring.map((v, k) => v - (k % 2 === 0 ? x0 : y0))], w, y1 - y0 + 1);
  const values: number[][] = [[], [], [], []];
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      if (lips[(y - y0) * w + (x - x0)] > 0) continue;
      const o = 3 * (y * crop.width + x);
      const [r, g, b] = [crop.data[o], crop.data[o + 1], crop.data[o + 2]];
      values[0].push(luma(r, g, b));
      values[1].push(r);
      values[2].push(g);
      values[3].push(b);
    }
  // Medians: a beard, a nostril or a highlight at the box's edge does not move them.
  const [l, r, g, b] = values.map((list) => (list.length === 0 ? 0 : list.sort((p, q) => p - q)[list.length >> 1]));
  return { luma: l, colour: [r, g, b] };
}

/** A mouth's upper teeth band: from `top` to `bottom` crop pixels below its upper inner lip (across the mouth, at each point of the lip), and their mean colour. */
export interface UpperTeeth {
  top: number;
  bottom: number;
  colour: [number, number, number];
}

/**
 * The upper teeth band of this open mouth: the run of teeth rows (TEETH_ROW_SHARE) that starts within TEETH_START
 * of the opening below the upper inner lip; null when the mouth shows no such band (lips barely apart, a dark or
 * tongue-filled opening, a band thinner than MIN_TEETH_BAND).
 */
export function upperTeeth(crop: RgbImage, points: Float32Array): UpperTeeth | null {
  if (openingRatio(points) < MIN_TEETH_OPENING) return null;
  const opening = openingOf(points);
  const skin = skinAroundMouth(crop, points).luma;
  const coverage = rasterizePolygon([opening.ring], crop.width, crop.height);
  const rows = Math.ceil(opening.gap) + 1;
  const [teeth, all] = [new Float64Array(rows), new Float64Array(rows)];
  const colours = Array.from({ length: rows }, () => [0, 0, 0]);
  const frame = mouthFrame(opening);
  const xs = opening.ring.filter((_, k) => k % 2 === 0),
    ys = opening.ring.filter((_, k) => k % 2 === 1);
  for (let y = Math.max(0, Math.floor(Math.min(...ys))); y <= Math.min(crop.height - 1, Math.ceil(Math.max(...ys))); y++)
    for (let x = Math.max(0, Math.floor(Math.min(...xs))); x <= Math.min(crop.width - 1, Math.ceil(Math.max(...xs))); x++) {
      if (coverage[y * crop.width + x] < 0.5) continue;
      const { along, depth } = frame.place(x, y);
      // Rows follow the upper lip: a smile's teeth curve up with it towards the corners.
      const row = Math.round(depth - frame.lip('upper', along));
      if (Math.abs(along) > BAND_HALF_WIDTH * opening.width || row < 0 || row >= rows) continue;
      const o = 3 * (y * crop.width + x);
      const [r, g, b] = [crop.data[o], crop.data[o + 1], crop.data[o + 2]];
      all[row]++;
      if (!isTooth(r, g, b, skin)) continue;
      teeth[row]++;
      colours[row][0] += r;
      colours[row][1] += g;
      colours[row][2] += b;
    }
  const isTeethRow = (row: number) => all[row] > 0 && teeth[row] / all[row] >= TEETH_ROW_SHARE;
  let top = 0;
  while (top < rows && !isTeethRow(top)) top++;
  if (top > TEETH_START * opening.gap) return null;
  let last = top;
  while (last + 1 < rows && isTeethRow(last + 1)) last++;
  if (last - top + 1 < MIN_TEETH_BAND * opening.width) return null;
  const sum = [0, 0, 0];
  let n = 0;
  for (let row = top; row <= last; row++) {
    for (let k = 0; k < 3; k++) sum[k] += colours[row][k];
    n += teeth[row];
  }
  return { top, bottom: last + 1, colour: [sum[0] / n, sum[1] / n, sum[2] / n] };
}

/** How far a white balance moves the teeth's colour: log2 of their brightest channel over their dimmest. */
export function teethCast(teeth: UpperTeeth): number {
  return Math.log2(Math.max(...teeth.colour) / Math.max(1, Math.min(...teeth.colour)));
}

/**
 * Per-channel gains that carry the donor's interior into the frame: its teeth made neutral grey (their mean
 * colour's luma in every channel) and given SKIN_TINT of the frame's skin hue (the frame's light and the skin's
 * reflected light tint teeth in any photo), then scaled by the frame's skin brightness around the mouth (`skin`) over the donor's.
 */
export function interiorGains(donor: MouthDonor, skin: SkinTone): [number, number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : 1));
  const brightness = clamp(skin.luma / skinAroundMouth(donor.crop, donor.points).luma, MIN_BRIGHTNESS, MAX_BRIGHTNESS);
  const grey = luma(...donor.teeth.colour);
  const tint = skin.colour.map((v) => clamp(v / skin.luma, MIN_BALANCE, MAX_BALANCE) ** SKIN_TINT);
  const tintLuma = luma(tint[0], tint[1], tint[2]);
  return donor.teeth.colour.map((v, k) => (brightness * clamp(grey / v, MIN_BALANCE, MAX_BALANCE) * tint[k]) / tintLuma) as [number, number, number];
}

/**
 * The donor with its mouth's finest band scaled to the frame's photo: by the square root of the ratio of the
 * frame's skin detail to the donor's (high-frequency energies on their 512 px crops, @facex/face-bank
 * skinDetail), at least MIN_DETAIL_GAIN, never above 1. Unchanged when either measure is missing (0).
 */
export function softenedTo(donor: MouthDonor, donorDetail: number, frameDetail: number): MouthDonor {
  if (!(donorDetail > 0 && frameDetail > 0) || frameDetail >= donorDetail) return donor;
  const gain = Math.max(MIN_DETAIL_GAIN, Math.sqrt(frameDetail / donorDetail));
  const { crop } = donor;
  const ring = openingOf(donor.points).ring;
  const xs = ring.filter((_, k) => k % 2 === 0),
    ys = ring.filter((_, k) => k % 2 === 1);
  const where: MaskPlane = { data: new Uint8Array(crop.width * crop.height), width: crop.width, height: crop.height };
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - SOFTEN_MARGIN)),
    x1 = Math.min(crop.width - 1, Math.ceil(Math.max(...xs) + SOFTEN_MARGIN));
  for (let y = Math.max(0, Math.floor(Math.min(...ys) - SOFTEN_MARGIN)); y <= Math.min(crop.height - 1, Math.ceil(Math.max(...ys) + SOFTEN_MARGIN)); y++)
    where.data.fill(255, y * crop.width + x0, y * crop.width + x1 + 1);
  return { ...donor, crop: scaleFinestBand(crop, gain, where) };
}
