/**
 * Gaze transfer. The eye pixels come from one input and the gaze from another: a face swap keeps the
 * target's gaze, reenactment takes the driving face's. FORD measures gaze as the iris centre's offset in the
 * eye opening (analysis gaze.ts: along the corners and across the lids, ±1 at the corners and at the lids),
 * so the gaze input's offsets, laid on the output mesh's eye, say where the iris belongs, and the eye pixels'
 * own offsets say where their iris is. The iris is moved along the eye (the lids, which the output mesh
 * already takes from the motion input, set where it sits across it): where the iris was, the opening is
 * filled push-pull from the white around it (the white's brighter pixels only: lashes and the lids' shadow lie
 * in that ring too, and stay where they are), then the iris disk is drawn at its new centre with a limbus as soft
 * as a photographed one, under the lids (clipped by the opening), never past a corner; iris the lids hid before
 * the move is read from the nearest iris that showed. An eye that is nearly closed on the output or on either
 * input, or whose white is not clearly brighter than its iris (no white to fill from), is left as it is.
 */
import type { FaceRepresentation } from '@facex/contracts';
import { fillHoles, invertAffine, luma, rasterizePolygon, type RgbImage } from '@facex/imaging';
import type { Affine2D } from '@facex/contracts';
import { eyeSimilarity } from './eye-interior';
import { bilinear } from './sample-map';
import { EYE_OPENING, eyeFrame, type EyeFrame, type EyeSide } from './topology';

export interface IrisMove {
  eye: EyeSide;
  from: [number, number];
  to: [number, number];
  radius: number;
  /** The eye opening on the crop, x, y interleaved. */
  opening: number[];
}

/** Lid gap under this fraction of the eye width: too closed for an iris to be placed or measured. */
const MIN_OPENING = 0.25;
/** The moved iris's edge stays this far (fraction of the half width) inside the corners. */
const CORNER_CLEARANCE = 0.05;
/** The white (its WHITE_QUANTILE) must be this much lighter (BT.601 luma, 0…255) than the iris (its median) to fill the opening from. */
const MIN_WHITE_CONTRAST = 30;
const WHITE_QUANTILE = 0.75;
/** Around the iris this much wider than its radius lies white, which the emptied opening is filled from. */
const IRIS_MARGIN = 1.25;
/** Width of the moved iris's soft edge, as a fraction of its radius. */
const IRIS_EDGE = 0.3;
/** Moves under this many crop pixels are not worth a redraw. */
const MIN_MOVE = 0.5;

const isOpen = (frame: EyeFrame): boolean => frame.halfGap >= MIN_OPENING * frame.halfWidth;
const at = (frame: EyeFrame, offsetX: number, offsetY: number): [number, number] => [
  frame.centreX + offsetX * frame.halfWidth * frame.ux + offsetY * frame.halfGap * frame.vx,
  frame.centreY + offsetX * frame.halfWidth * frame.uy + offsetY * frame.halfGap * frame.vy,
];

const applyAffine = (m: Affine2D, [x, y]: [number, number]): [number, number] => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];

/**
 * Where each open eye's iris is and where it belongs on the output: `points` is the output mesh on the crop
 * (x, y per point), `eyes` the input whose eye pixels the output shows, `gaze` the input whose gaze it takes.
 */
export function irisMoves(points: Float32Array, eyes: FaceRepresentation, gaze: FaceRepresentation): IrisMove[] {
  return irisMovesTo(points, eyes, (eye) => (isOpen(eyeFrame(gaze.landmarks, eye)) ? [gaze.motion.gaze[eye].offsetX, eyes.motion.gaze[eye].offsetY] : null));
}

/**
 * The same toward offsets a caller chooses per eye on the output eye (null: leave that eye): a numeric gaze
 * edit (motion-mesh.ts) sets both offsets, not only the one along the eye. `eyeballsOf`: the mesh (on the crop)
 * of the face whose eyeballs the output shows unmoved by its lids (eye-interior.ts): the iris is then where that
 * face's eye corners put it, not where its offsets in the output's lids would.
 */
export function irisMovesTo(
  points: Float32Array,
  eyes: FaceRepresentation,
  target: (eye: EyeSide, output: EyeFrame) => [number, number] | null,
  eyeballsOf?: Float32Array,
): IrisMove[] {
  const moves: IrisMove[] = [];
  for (const eye of ['left', 'right'] as const) {
    const output = eyeFrame(points, eye, 2),
      own = eyeFrame(eyes.landmarks, eye);
    if (!isOpen(output) || !isOpen(own)) continue;
    const wanted = target(eye, output);
    if (!wanted) continue;
    // FORD's irises: [left x, y, r, right x, y, r] in image pixels; the radius scales with the eye's width.
    const radius = (eyes.irises[eye === 'left' ? 2 : 5] / own.halfWidth) * output.halfWidth;
    const reach = 1 - CORNER_CLEARANCE - radius / output.halfWidth;
    if (reach <= 0) continue;
    const { offsetX, offsetY } = eyes.motion.gaze[eye];
    const from = eyeballsOf
      ? applyAffine(invertAffine(eyeSimilarity(eyeballsOf, points, eye)), at(eyeFrame(eyeballsOf, eye, 2), offsetX, offsetY))
      : at(output, offsetX, offsetY);
    const to = at(output, Math.min(reach, Math.max(-reach, wanted[0])), Math.min(1, Math.max(-1, wanted[1])));
    if (Math.hypot(to[0] - from[0], to[1] - from[1]) < MIN_MOVE) continue;
    const opening = EYE_OPENING[eye].flatMap((i) => [points[2 * i], points[2 * i + 1]]);
    moves.push({ eye, from, to, radius, opening });
  }
  return moves;
}

/** The image with each move's iris redrawn at its new centre (see the module comment). */
export function moveIrises(image: RgbImage, moves: readonly IrisMove[]): RgbImage {
  let out = image;
  for (const move of moves) out = moveIris(out, move);
  return out;
}

function moveIris(image: RgbImage, { from, to, radius, opening }: IrisMove): RgbImage {
  const { width, height, data } = image;
  const xs = opening.filter((_, k) => k % 2 === 0),
    ys = opening.filter((_, k) => k % 2 === 1);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1),
    x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1),
    y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1);
  if (x1 < x0 || y1 < y0) return image;
  const w = x1 - x0 + 1,
    h = y1 - y0 + 1;
  const coverage = rasterizePolygon([opening.map((v, k) => v - (k % 2 === 0 ? x0 : y0))], w, h);
  // The white of the eye: wholly inside the opening and clear of the iris. Lashes and the lids' shadow lie in
  // that ring too, so the white's level is its brighter quarter and only pixels nearer it than the iris feed the fill.
  const part = new Uint8Array(w * h * 3),
    known = new Uint8Array(w * h),
    ring = new Float32Array(w * h).fill(-1);
  const lumaAt = (p: number) => luma(data[p], data[p + 1], data[p + 2]);
  const whites: number[] = [],
    irises: number[] = [];
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const p = 3 * ((y0 + y) * width + x0 + x);
      part[3 * i] = data[p];
      part[3 * i + 1] = data[p + 1];
      part[3 * i + 2] = data[p + 2];
      if (coverage[i] < 0.99) continue;
      const d = Math.hypot(x0 + x - from[0], y0 + y - from[1]);
      if (d > IRIS_MARGIN * radius) whites.push((ring[i] = lumaAt(p)));
      else if (d < radius) irises.push(lumaAt(p));
    }
  }
  // Nothing to fill from, or nothing that tells the iris from the white: the eye stays as it is.
  if (whites.length === 0 || irises.length === 0) return image;
  const whiteLevel = quantile(whites, WHITE_QUANTILE),
    irisLevel = quantile(irises, 0.5);
  if (whiteLevel - irisLevel < MIN_WHITE_CONTRAST) return image;
  const threshold = (whiteLevel + irisLevel) / 2;
  for (let i = 0; i < ring.length; i++) if (ring[i] >= threshold) known[i] = 255;
  const empty = fillHoles({ data: part, width: w, height: h }, { data: known, width: w, height: h }).data;
  const out = data.slice();
  const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
  const iris = new Float64Array(3);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const c = coverage[i];
      if (c === 0) continue;
      const [px, py] = [x0 + x, y0 + y];
      // The disk's edge ramps over IRIS_EDGE of its radius, as soft as a photographed limbus (a hard edge reads
      // as a sticker, and the iris is found nearer its old place); its colour is the original iris, one move back.
      const a = Math.min(1, Math.max(0, (radius + 0.5 - Math.hypot(px - to[0], py - to[1])) / (IRIS_EDGE * radius)));
      if (a > 0) {
        // Iris the lids hid before the move (a turn up or down uncovers it) is read from the nearest iris that
        // showed: the source steps toward the old centre until it lies in the opening, never lid or lashes.
        let [sx, sy] = [px - dx, py - dy];
        const toCentre = Math.hypot(from[0] - sx, from[1] - sy);
        const steps = Math.ceil(toCentre);
        for (let step = 0; step < steps && coverageAt(coverage, w, h, sx - x0, sy - y0) < 0.5; step++) {
          sx += (from[0] - sx) / (steps - step);
          sy += (from[1] - sy) / (steps - step);
        }
        bilinear(image, sx, sy, iris);
      }
      // Only where the iris was is the white filled in: lashes and lid shadow elsewhere in the opening stay.
      const vacated = c * Math.min(1, Math.max(0, IRIS_MARGIN * radius + 0.5 - Math.hypot(px - from[0], py - from[1])));
      const p = 3 * (py * width + px);
      for (let k = 0; k < 3; k++) {
        const emptied = data[p + k] + vacated * (empty[3 * i + k] - data[p + k]);
        out[p + k] = emptied + c * a * (iris[k] - emptied) + 0.5;
      }
    }
  }
  return { data: out, width, height };
}

/** The opening's coverage at the nearest pixel of (x, y) in its box (0 beyond the box). */
function coverageAt(coverage: Float32Array, w: number, h: number, x: number, y: number): number {
  const ix = Math.round(x),
    iy = Math.round(y);
  return ix < 0 || iy < 0 || ix >= w || iy >= h ? 0 : coverage[iy * w + ix];
}

/** The q-quantile (0…1) of a non-empty list. */
function quantile(values: number[], q: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
