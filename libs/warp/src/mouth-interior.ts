/**
 * The inside of the mouth on the output. The face mesh has no triangles between the inner lips, so a mouth the
 * warp opens (or moves) would show whatever the frame had at that place. Instead the opening is drawn:
 *   - where the frame's own mouth is open, its interior (teeth, tongue) is carried over by the similarity
 *     that maps the frame's inner-lip corners and upper inner lip onto the output's: teeth hang from the upper
 *     lip and keep their size (never stretched with the gap);
 *   - the rest is the dark oral cavity: the frame's lip colour darkened, darkest in the middle of the opening.
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
/** The cavity's brightness against the lips: this at the lips, CAVITY_CORE in the middle of the opening. */
const CAVITY_EDGE = 0.3, CAVITY_CORE = 0.08;
/** Teeth are at least this much (and fully at twice this much) lighter than the lips, in BT.601 luma. */
const TEETH_LIGHTER = 25;
/** Teeth are less saturated than this (HSV saturation); fully accepted below half of it. */
const TEETH_MAX_SATURATION = 0.45;
/** How much of the lips' saturation the cavity keeps. */
const CAVITY_SATURATION = 0.35;

interface Opening {
  ring: number[];
  /** Inner-lip corners and the upper inner lip's centre. */
  right: [number, number];
  left: [number, number];
  upper: [number, number];
  gap: number;
}

function openingOf(points: Float32Array): Opening {
  const p = (i: number): [number, number] => [points[2 * i], points[2 * i + 1]];
  const upper = p(LANDMARK.upperLipInner), lower = p(LANDMARK.lowerLipInner);
  return { ring: OPENING.flatMap((i) => p(i)), right: p(RIGHT_INNER), left: p(LEFT_INNER), upper, gap: Math.hypot(lower[0] - upper[0], lower[1] - upper[1]) };
}

/** Mean colour of the frame's lips (sampled at the outer lip points). */
function lipColour(frame: RgbImage, points: Float32Array): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (const i of OUTER_LIPS) {
    const x = Math.round(points[2 * i]), y = Math.round(points[2 * i + 1]);
    if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
    const o = 3 * (y * frame.width + x);
    for (let k = 0; k < 3; k++) sum[k] += frame.data[o + k];
    n++;
  }
  return n === 0 ? [120, 60, 60] : [sum[0] / n, sum[1] / n, sum[2] / n];
}

const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * How much a pixel of the frame's mouth opening looks like teeth (0…1): clearly lighter than the lips and
 * nearly grey. The inner-lip contour often runs inside the lips' red, and lips must not be carried over.
 */
function teethLikeness(r: number, g: number, b: number, lipLuma: number): number {
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  const saturation = max === 0 ? 0 : (max - min) / max;
  const lighter = Math.min(1, Math.max(0, (luma(r, g, b) - lipLuma - TEETH_LIGHTER) / TEETH_LIGHTER));
  const grey = Math.min(1, Math.max(0, (TEETH_MAX_SATURATION - saturation) / (TEETH_MAX_SATURATION / 2)));
  return lighter * grey;
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
  const xs = to.ring.filter((_, k) => k % 2 === 0), ys = to.ring.filter((_, k) => k % 2 === 1);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1), x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1), y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1);
  if (x1 < x0 || y1 < y0) return image;
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const coverage = rasterizePolygon([to.ring.map((v, k) => v - (k % 2 === 0 ? x0 : y0))], w, h);
  const frameOpen = from.gap >= MIN_GAP;
  const frameCoverage = frameOpen ? rasterizePolygon([from.ring], frameCrop.width, frameCrop.height) : null;
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
  const centre = [(to.right[0] + to.left[0]) / 2, (to.right[1] + to.left[1]) / 2];
  // The cavity is the lips' hue, mostly desaturated: lipstick must not paint the throat.
  const lip = lipColour(frameCrop, frame);
  const grey = (lip[0] + lip[1] + lip[2]) / 3;
  const cavity = lip.map((v) => grey + CAVITY_SATURATION * (v - grey));
  const lipLuma = luma(lip[0], lip[1], lip[2]);
  const out = image.data.slice();
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const a = coverage[i];
      if (a === 0) continue;
      const px = x0 + x, py = y0 + y;
      const across = Math.abs((px - centre[0]) * -uy + (py - centre[1]) * ux) / halfGap;
      const shade = CAVITY_CORE + (CAVITY_EDGE - CAVITY_CORE) * Math.min(1, across * across);
      let colour = [cavity[0] * shade, cavity[1] * shade, cavity[2] * shade];
      if (frameCoverage) {
        const dx = px - to.upper[0], dy = py - to.upper[1];
        const sx = from.upper[0] + c * dx - s * dy, sy = from.upper[1] + s * dx + c * dy;
        const ix = Math.round(sx), iy = Math.round(sy);
        if (ix >= 0 && iy >= 0 && ix < frameCrop.width && iy < frameCrop.height) {
          const inside = frameCoverage[iy * frameCrop.width + ix];
          const o = 3 * (iy * frameCrop.width + ix);
          const teeth = inside > 0 ? inside * teethLikeness(frameCrop.data[o], frameCrop.data[o + 1], frameCrop.data[o + 2], lipLuma) : 0;
          if (teeth > 0) colour = colour.map((v, k) => v + teeth * (frameCrop.data[o + k] - v));
        }
      }
      const o = 3 * (py * width + px);
      for (let k = 0; k < 3; k++) out[o + k] = out[o + k] + a * (colour[k] - out[o + k]) + 0.5;
    }
  }
  return { data: out, width, height };
}
