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
 *   - the rest is the dark oral cavity: the frame's lip colour, mostly desaturated and darkened, darkest in the
 *     middle of the opening.
 * The edge is anti-aliased with the opening's coverage, so the lips (which the warp moved) meet it cleanly.
 */
import { rasterizePolygon, type RgbImage } from '@facex/imaging';
import { LANDMARK, MESH_ANNOTATIONS } from './topology';

/** The inner-lip opening, in order around it: the lower inner lip corner to corner, then the upper one back. */
const OPENING: readonly number[] = [...MESH_ANNOTATIONS.lipsLowerInner, ...[...MESH_ANNOTATIONS.lipsUpperInner].reverse()];
const LEFT_INNER = MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1];
const RIGHT_INNER = MESH_ANNOTATIONS.lipsLowerInner[0];
const OUTER_LIPS: readonly number[] = [...MESH_ANNOTATIONS.lipsUpperOuter, ...MESH_ANNOTATIONS.lipsLowerOuter];

/** Openings narrower than this (crop pixels) hold nothing worth drawing. */
const MIN_GAP = 1.5;
/**
 * A frame mouth open less than this share of its inner width has no interior to carry into a wider opening: its
 * "opening" is the line where the lips meet, and carrying it paints lip edge into the new cavity. Into an opening
 * no wider than its own (an edit that leaves the mouth) it is carried as it is.
 */
const MIN_FRAME_OPENING = 0.08;
/** An output opening wider than the frame's by more than this (crop pixels) is a mouth the edit opens. */
const WIDER = 1;
/** The cavity's brightness against the lips: this at the lips, CAVITY_CORE in the middle of the opening. */
const CAVITY_EDGE = 0.3,
  CAVITY_CORE = 0.08;
/** How far (steps × step, crop pixels) a point outside the frame's opening looks inward for its interior. */
const EXTEND_STEPS = 6,
  EXTEND_STEP = 1.5;
/** How much of the lips' saturation the cavity keeps. */
const CAVITY_SATURATION = 0.35;

interface Opening {
  ring: number[];
  /** Inner-lip corners and the upper inner lip's centre. */
  right: [number, number];
  left: [number, number];
  upper: [number, number];
  lower: [number, number];
  gap: number;
}

function openingOf(points: Float32Array): Opening {
  const p = (i: number): [number, number] => [points[2 * i], points[2 * i + 1]];
  const upper = p(LANDMARK.upperLipInner),
    lower = p(LANDMARK.lowerLipInner);
  return {
    ring: OPENING.flatMap((i) => p(i)),
    right: p(RIGHT_INNER),
    left: p(LEFT_INNER),
    upper,
    lower,
    gap: Math.hypot(lower[0] - upper[0], lower[1] - upper[1]),
  };
}

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

/**
 * The output crop with the mouth opening of `output` (mesh points on the crop) drawn: the frame's interior
 * (`frameCrop`, whose mesh on the crop is `frame`) where it has one, the cavity elsewhere.
 */
export function drawMouthInterior(image: RgbImage, frameCrop: RgbImage, frame: Float32Array, output: Float32Array): RgbImage {
  const to = openingOf(output);
  if (to.gap < MIN_GAP) return image;
  const from = openingOf(frame);
  const { width, height } = image;
  const xs = to.ring.filter((_, k) => k % 2 === 0),
    ys = to.ring.filter((_, k) => k % 2 === 1);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1),
    x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1),
    y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1);
  if (x1 < x0 || y1 < y0) return image;
  const w = x1 - x0 + 1,
    h = y1 - y0 + 1;
  const coverage = rasterizePolygon([to.ring.map((v, k) => v - (k % 2 === 0 ? x0 : y0))], w, h);
  const frameInterior = from.gap >= MIN_FRAME_OPENING * Math.hypot(from.left[0] - from.right[0], from.left[1] - from.right[1]);
  const frameOpen = from.gap >= MIN_GAP && (frameInterior || to.gap <= from.gap + WIDER);
  const frameCoverage = frameOpen ? rasterizePolygon([from.ring], frameCrop.width, frameCrop.height) : null;
  const opens = to.gap > from.gap + WIDER;
  // Output → frame similarity: corner line onto corner line (rotation and scale from the corners), the upper
  // inner lip's centre onto the frame's.
  const [ox, oy] = [to.left[0] - to.right[0], to.left[1] - to.right[1]];
  const [fx, fy] = [from.left[0] - from.right[0], from.left[1] - from.right[1]];
  const outLength = Math.hypot(ox, oy) || 1;
  const scale = Math.hypot(fx, fy) / outLength;
  const angle = Math.atan2(fy, fx) - Math.atan2(oy, ox);
  const [c, s] = [scale * Math.cos(angle), scale * Math.sin(angle)];
  // The opening's own axes, for the cavity's shading: along the corners and across them.
  const [ux, uy] = [ox / outLength, oy / outLength];
  const halfGap = to.gap / 2;
  const centre = [(to.upper[0] + to.lower[0]) / 2, (to.upper[1] + to.lower[1]) / 2];
  const fromCentre = [(from.upper[0] + from.lower[0]) / 2, (from.upper[1] + from.lower[1]) / 2];
  // The cavity is the lips' hue, mostly desaturated: lipstick must not paint the throat.
  const lip = lipColour(frameCrop, frame);
  const grey = (lip[0] + lip[1] + lip[2]) / 3;
  const cavity = lip.map((v) => grey + CAVITY_SATURATION * (v - grey));
  const out = image.data.slice();
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const a = coverage[i];
      if (a === 0) continue;
      const px = x0 + x,
        py = y0 + y;
      const signed = (px - centre[0]) * -uy + (py - centre[1]) * ux;
      const across = Math.abs(signed) / halfGap;
      const shade = CAVITY_CORE + (CAVITY_EDGE - CAVITY_CORE) * Math.min(1, across * across);
      let colour = [cavity[0] * shade, cavity[1] * shade, cavity[2] * shade];
      if (frameCoverage) {
        const withUpper = opens || signed < 0;
        const [anchorTo, anchorFrom] = withUpper ? [to.upper, from.upper] : [to.lower, from.lower];
        const dx = px - anchorTo[0],
          dy = py - anchorTo[1];
        let sx = anchorFrom[0] + c * dx - s * dy,
          sy = anchorFrom[1] + s * dx + c * dy;
        // A point just outside the frame's opening (the new lip line curves otherwise) reads the interior a
        // little inward instead, so teeth reach the lips rather than leaving a dark sliver along them.
        const [tx, ty] = [fromCentre[0] - sx, fromCentre[1] - sy];
        const towardCentre = Math.hypot(tx, ty) || 1;
        // Below the carried interior of an opening mouth lies the new cavity: nothing is pulled down into it.
        const steps = opens && signed >= 0 ? 0 : EXTEND_STEPS;
        for (let step = 0; step <= steps; step++) {
          const ix = Math.round(sx),
            iy = Math.round(sy);
          if (ix < 0 || iy < 0 || ix >= frameCrop.width || iy >= frameCrop.height) break;
          // Only well inside the frame's opening: its anti-aliased edge would mix lip into the teeth (a speckled rim).
          if (frameCoverage[iy * frameCrop.width + ix] >= 0.5) {
            const o = 3 * (iy * frameCrop.width + ix);
            colour = [frameCrop.data[o], frameCrop.data[o + 1], frameCrop.data[o + 2]];
            break;
          }
          sx += (EXTEND_STEP * tx) / towardCentre;
          sy += (EXTEND_STEP * ty) / towardCentre;
        }
      }
      const o = 3 * (py * width + px);
      for (let k = 0; k < 3; k++) out[o + k] = out[o + k] + a * (colour[k] - out[o + k]) + 0.5;
    }
  }
  return { data: out, width, height };
}
