/**
 * The inside of the mouth on the output. The face mesh has no triangles between the inner lips, so a mouth the
 * warp opens (or moves) would show whatever the frame had at that place. Instead the opening is drawn:
 *   - where the frame's own mouth is open (MIN_FRAME_OPENING), its interior (teeth, tongue, the lips' inner edge) is carried over:
 *     the half above the opening's centre line with the upper lip (upper teeth hang from the skull), the half
 *     below it with the lower lip (lower teeth ride on the jaw), each by the similarity that maps the frame's
 *     inner-lip corners onto the output's and that lip's centre onto its own: teeth keep their size and are
 *     never stretched with the gap. A mouth the edit opens wider than the frame's carries the whole of the
 *     frame's interior with the upper lip, the new cavity opening below it: FORD's inner lips often lie on the
 *     upper teeth's edge (a smile shows the upper teeth between them, the lower teeth outside, moving with the
 *     lower lip), and reading the lower half from the lower lip would draw those upper teeth a second time, or
 *     the teeth meeting in the middle of the opening with dark wedges beside them;
 *   - where the edit opens a mouth the frame shows closed (no interior of its own), and a face-bank donor's open
 *     mouth is lent (mouth-donor.ts, chosen in bank-mouth-donor.ts), the donor's interior point by point along
 *     the mouth: its upper teeth hanging from the output's upper inner lip, what lies below them riding the lower
 *     lip, white-balanced and lit to the frame (see donorCarrier);
 *   - the rest is the oral cavity: dark, with the tongue in an opening wide enough to show it (oral-cavity.ts).
 * The edge is anti-aliased with the opening's coverage, so the lips (which the warp moved) meet it cleanly.
 */
import { rasterizePolygon, type RgbImage } from '@facex/imaging';
import { MESH_ANNOTATIONS } from './topology';
import { mouthFrame, openingOf, type Opening } from './mouth-opening';
import { interiorGains, skinAroundMouth, type MouthDonor, type SkinTone } from './mouth-donor';
import { oralCavity } from './oral-cavity';
import { bilinear } from './sample-map';

const OUTER_LIPS: readonly number[] = [...MESH_ANNOTATIONS.lipsUpperOuter, ...MESH_ANNOTATIONS.lipsLowerOuter];

/** Openings narrower than this (crop pixels) hold nothing worth drawing. */
const MIN_GAP = 1.5;
/**
 * A frame mouth open less than this share of its inner width has no interior to carry into a wider opening: its
 * "opening" is the line where the lips meet, and carrying it paints lip edge into the new cavity. Into an opening
 * no wider than its own (an edit that leaves the mouth) it is carried as it is.
 */
const MIN_FRAME_OPENING = 0.08;
/** Whether a mouth shows an interior of its own to carry (MIN_FRAME_OPENING); one that does is never lent a donor's. */
export function showsInterior(opening: Opening): boolean {
  return opening.gap >= MIN_FRAME_OPENING * opening.width;
}

/** An output opening wider than the frame's by more than this (crop pixels) is a mouth the edit opens. */
const WIDER = 1;
/** How far (steps × step, crop pixels) a point outside the frame's opening looks inward for its interior. */
const EXTEND_STEPS = 6,
  EXTEND_STEP = 1.5;
/** A donor's teeth band and what lies below it fade into the cavity over this depth (its crop pixels). */
const TEETH_EDGE = 3;

/** Mean colour of the frame's lips (sampled at the outer lip points). */
function lipColour(frame: RgbImage, points: Float32Array): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (const i of OUTER_LIPS) {
    const x = Math.round(points[2 * i]),
      y = Math.round(points[2 * i + 1]);
    if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
    const o = 3 * (y * frame.width + x);
    for (let k = 0; k < 3; k++) sum[k] += frame.data[o + k];
    n++;
  }
  return n === 0 ? [120, 60, 60] : [sum[0] / n, sum[1] / n, sum[2] / n];
}

/** The inside of a crop's opening near a point: see readInside. */
interface Inside {
  crop: RgbImage;
  /** The opening's coverage on the crop. */
  coverage: Float32Array;
  /** Where a point outside the opening looks for its interior. */
  centre: number[];
}

/**
 * The crop's colour at (sx, sy) when that lies well inside its opening; else, stepping up to `steps` times
 * towards the opening's centre, the first such colour; null when none is reached. A point just outside the
 * opening (the new lip line curves otherwise) so reads the interior a little inward, and teeth reach the lips
 * rather than leaving a dark sliver along them.
 */
function readInside(inside: Inside, sx: number, sy: number, steps: number, smooth = false): [number, number, number] | null {
  const { crop, coverage, centre } = inside;
  const [tx, ty] = [centre[0] - sx, centre[1] - sy];
  const towardCentre = Math.hypot(tx, ty) || 1;
  for (let step = 0; step <= steps; step++) {
    const ix = Math.round(sx),
      iy = Math.round(sy);
    if (ix < 0 || iy < 0 || ix >= crop.width || iy >= crop.height) return null;
    // Only well inside the opening: its anti-aliased edge would mix lip into the teeth (a speckled rim).
    if (coverage[iy * crop.width + ix] >= 0.5) return smooth ? interpolated(crop, sx, sy) : pixel(crop, ix, iy);
    sx += (EXTEND_STEP * tx) / towardCentre;
    sy += (EXTEND_STEP * ty) / towardCentre;
  }
  return null;
}

function interpolated(crop: RgbImage, x: number, y: number): [number, number, number] {
  const colour = new Float64Array(3);
  bilinear(crop, x, y, colour);
  return [colour[0], colour[1], colour[2]];
}

function pixel(crop: RgbImage, x: number, y: number): [number, number, number] {
  const o = 3 * (y * crop.width + x);
  return [crop.data[o], crop.data[o + 1], crop.data[o + 2]];
}

/** The mouth drawn, and the share of its opening (by coverage) that a donor's interior took. */
export interface MouthInterior {
  image: RgbImage;
  donorShare: number;
}

/**
 * The output crop with the mouth opening of `output` (mesh points on the crop) drawn: the frame's interior
 * (`frameCrop`, whose mesh on the crop is `frame`) where it has one, a donor's interior where the edit opens a
 * mouth the frame shows closed (see donorCarrier), the cavity elsewhere.
 */
export function drawMouthInterior(image: RgbImage, frameCrop: RgbImage, frame: Float32Array, output: Float32Array, donor?: MouthDonor): MouthInterior {
  const to = openingOf(output);
  if (to.gap < MIN_GAP) return { image, donorShare: 0 };
  const from = openingOf(frame);
  const { width, height } = image;
  const xs = to.ring.filter((_, k) => k % 2 === 0),
    ys = to.ring.filter((_, k) => k % 2 === 1);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1),
    x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1),
    y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1);
  if (x1 < x0 || y1 < y0) return { image, donorShare: 0 };
  const w = x1 - x0 + 1,
    h = y1 - y0 + 1;
  const coverage = rasterizePolygon([to.ring.map((v, k) => v - (k % 2 === 0 ? x0 : y0))], w, h);
  const frameInterior = showsInterior(from);
  const frameOpen = from.gap >= MIN_GAP && (frameInterior || to.gap <= from.gap + WIDER);
  const opens = to.gap > from.gap + WIDER;
  const fromFrame = frameOpen && {
    inside: { crop: frameCrop, coverage: rasterizePolygon([from.ring], frameCrop.width, frameCrop.height), centre: centreOf(from) },
    ...outputTo(to, from),
  };
  const skin = skinAroundMouth(frameCrop, frame);
  // A mouth the edit opens where the frame shows none of its own: the donor's (teeth), when one is lent.
  const fromDonor = !frameInterior && opens && donor ? donorCarrier(donor, skin, to) : null;
  // Across the opening (towards the lower lip), for which lip the frame's interior rides.
  const [ux, uy] = [(to.left[0] - to.right[0]) / (to.width || 1), (to.left[1] - to.right[1]) / (to.width || 1)];
  const centre = centreOf(to);
  const cavity = oralCavity(to, lipColour(frameCrop, frame), skin.colour);
  const out = image.data.slice();
  let [opening, fromDonorShare] = [0, 0];
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const a = coverage[i];
      if (a === 0) continue;
      const px = x0 + x,
        py = y0 + y;
      const signed = (px - centre[0]) * -uy + (py - centre[1]) * ux;
      let colour = cavity(px, py);
      if (fromFrame) {
        const withUpper = opens || signed < 0;
        const [sx, sy] = fromFrame.map(px, py, withUpper ? 'upper' : 'lower');
        // Below the carried interior of an opening mouth lies the new cavity: nothing is pulled down into it.
        colour = readInside(fromFrame.inside, sx, sy, opens && signed >= 0 ? 0 : EXTEND_STEPS) ?? colour;
      } else if (fromDonor) {
        const carried = fromDonor(px, py, colour);
        colour = carried.colour;
        fromDonorShare += a * carried.weight;
      }
      opening += a;
      const o = 3 * (py * width + px);
      for (let k = 0; k < 3; k++) out[o + k] = out[o + k] + a * (colour[k] - out[o + k]) + 0.5;
    }
  }
  return { image: { data: out, width, height }, donorShare: opening > 0 ? fromDonorShare / opening : 0 };
}

function centreOf(opening: Opening): number[] {
  return [(opening.upper[0] + opening.lower[0]) / 2, (opening.upper[1] + opening.lower[1]) / 2];
}

/**
 * The similarity from the output's opening onto another's: corner line onto corner line (rotation and scale from
 * the corners), the upper or lower inner lip's centre onto its own, so what hangs from that lip keeps its size
 * and is never stretched with the gap.
 */
function outputTo(to: Opening, from: Opening): { map: (x: number, y: number, anchor: 'upper' | 'lower') => [number, number] } {
  const [ox, oy] = [to.left[0] - to.right[0], to.left[1] - to.right[1]];
  const [fx, fy] = [from.left[0] - from.right[0], from.left[1] - from.right[1]];
  const scale = from.width / (to.width || 1);
  const angle = Math.atan2(fy, fx) - Math.atan2(oy, ox);
  const [c, s] = [scale * Math.cos(angle), scale * Math.sin(angle)];
  return {
    map: (x, y, anchor) => {
      const [anchorTo, anchorFrom] = anchor === 'upper' ? [to.upper, from.upper] : [to.lower, from.lower];
      const dx = x - anchorTo[0],
        dy = y - anchorTo[1];
      return [anchorFrom[0] + c * dx - s * dy, anchorFrom[1] + s * dx + c * dy];
    },
  };
}

/**
 * A donor's interior carried into an opening the frame has none of, point by point along the mouth (the donor's
 * mouth scaled to the output's width, so teeth keep their proportions and are never stretched with the gap): its
 * upper teeth band hangs from the output's upper inner lip at the same depth below it as below the donor's (the
 * band's top on the lip, so none of the donor's own lip shows); what lies below the band (dark, tongue, lower
 * teeth) rides the lower lip the same way; between them, where the output opens wider than the donor, the cavity.
 * Each fades into the cavity over TEETH_EDGE. The donor's colours take the frame's light: `skin`, the frame's around
 * its mouth (interiorGains).
 * Returns, per output pixel, the colour over the cavity's and the donor's weight in it.
 */
function donorCarrier(donor: MouthDonor, skin: SkinTone, to: Opening): (x: number, y: number, cavity: number[]) => { colour: number[]; weight: number } {
  const own = openingOf(donor.points);
  const inside: Inside = { crop: donor.crop, coverage: rasterizePolygon([own.ring], donor.crop.width, donor.crop.height), centre: centreOf(own) };
  const [output, lender] = [mouthFrame(to), mouthFrame(own)];
  const scale = own.width / (to.width || 1);
  const gains = interiorGains(donor, skin);
  const { top, bottom } = donor.teeth;
  const ramp = (v: number) => Math.min(1, Math.max(0, v / TEETH_EDGE));
  return (x, y, cavity) => {
    let colour = cavity,
      weight = 0;
    const layer = (at: [number, number], wanted: number) => {
      if (wanted === 0) return;
      // Interpolated: a donor's mouth is usually drawn larger than it was, and nearest pixels would show as steps.
      const read = readInside(inside, at[0], at[1], EXTEND_STEPS, true);
      if (!read) return;
      colour = colour.map((v, k) => v + wanted * (Math.min(255, read[k] * gains[k]) - v));
      weight = Math.max(weight, wanted);
    };
    const { along, depth } = output.place(x, y);
    const a = along * scale;
    // Below the upper lip and above the lower one, in donor pixels (a pixel on the lip's anti-aliased edge counts as on it).
    const belowUpper = Math.max(0, depth - output.lip('upper', along)) * scale;
    const aboveLower = Math.max(0, output.lip('lower', along) - depth) * scale;
    // Below the band with the lower lip first, then the upper teeth over it (they close in front of the lower ones).
    const lowerDepth = lender.lip('lower', a) - aboveLower;
    layer(lender.point(a, lowerDepth), ramp(lowerDepth - lender.lip('upper', a) - bottom));
    layer(lender.point(a, lender.lip('upper', a) + top + belowUpper), ramp(bottom - top + TEETH_EDGE - belowUpper));
    return { colour, weight };
  };
}
