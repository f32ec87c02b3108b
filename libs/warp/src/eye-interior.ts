/**
 * The eyeballs under lids that a motion edit moves. The mesh triangulates the eye opening, so a warp that
 * lowers the upper lid squashes the eyeball with it (a flattened iris, not a lid sliding over it), and one that
 * lifts it stretches the iris tall. An eyeball does not move with its lids: it turns with the head. So inside
 * each output eye opening the frame's eye is redrawn by the similarity that maps its corners onto the output's
 * (eyeSimilarity): a closing lid covers the iris, an opening one reveals more of it. The band of shadow
 * and lashes just inside each lid moves with its lid (lidDepth): a lid that opens draws its shadow up with it and
 * uncovers the eyeball just below that band (continued across the eye from the band's edge), one that closes
 * lays its shadow over the eyeball and hides the part it covers. The edge is anti-aliased with the opening's
 * coverage, so the warped lids meet it cleanly. A frame eye too closed to show an eyeball is left as the warp
 * drew it.
 */
import type { Affine2D } from '@facex/contracts';
import { rasterizePolygon, type RgbImage } from '@facex/imaging';
import { bilinear } from './sample-map';
import { EYE_OPENING, eyeFrame, LANDMARK, MESH_ANNOTATIONS, type EyeSide } from './topology';

const CORNERS: Record<EyeSide, readonly [number, number]> = {
  right: [LANDMARK.rightEyeOuterCorner, LANDMARK.rightEyeInnerCorner],
  left: [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner],
};

/** A frame eye whose lid gap is under this fraction of its width shows no eyeball to carry. */
const MIN_FRAME_OPENING = 0.15;
/** The lid's band of shadow and lashes on the eyeball (crop pixels), at most this share of the lid gap. */
const LID_BAND = 3,
  LID_BAND_SHARE = 0.3;

/**
 * The depth (from the frame's lid line, into the eye) that the eyeball is read at for a point `depth` inside the
 * output's lid, where that lid lies `lift` further out than the frame's (> 0 the eye opens, < 0 it closes), the
 * lid's band `band` deep: inside the band the point moves with the lid (its shadow); an opening lid uncovers
 * the eyeball at the band's edge, continued over the `lift` it opens; a closing one covers the eyeball under it,
 * its band ending where the eyeball it left uncovered begins (a lid's edge cuts the eyeball off). Deeper the
 * eyeball stays where it is: depth − lift. So a slit no deeper than the two bands shows only lid shadow and
 * lashes, not the eyeball squeezed into it.
 */
export function lidDepth(depth: number, lift: number, band: number): number {
  if (lift >= 0) return depth <= band ? depth : Math.max(band, depth - lift);
  return depth <= band ? depth : depth - lift;
}

/**
 * The similarity taking points of the output's eye (x, y per point on the crop) to the frame's: its corners
 * onto the frame's corners, so the eyeball keeps its size and place in the eye whatever its lids do.
 */
export function eyeSimilarity(frame: Float32Array, output: Float32Array, eye: EyeSide): Affine2D {
  const [a, b] = CORNERS[eye];
  const [ox, oy] = [output[2 * b] - output[2 * a], output[2 * b + 1] - output[2 * a + 1]];
  const [fx, fy] = [frame[2 * b] - frame[2 * a], frame[2 * b + 1] - frame[2 * a + 1]];
  const length2 = ox * ox + oy * oy || 1;
  // (fx + i·fy) / (ox + i·oy): the complex ratio is the rotation and scale.
  const c = (fx * ox + fy * oy) / length2,
    s = (fy * ox - fx * oy) / length2;
  const tx = frame[2 * a] - (c * output[2 * a] - s * output[2 * a + 1]),
    ty = frame[2 * a + 1] - (s * output[2 * a] + c * output[2 * a + 1]);
  return [c, -s, tx, s, c, ty];
}

/** Each eye's lid lines corner to corner, in the same direction: the upper lid with the corners added. */
const LIDS: Record<EyeSide, { upper: readonly number[]; lower: readonly number[] }> = {
  right: { upper: [CORNERS.right[0], ...MESH_ANNOTATIONS.rightEyeUpper0, CORNERS.right[1]], lower: MESH_ANNOTATIONS.rightEyeLower0 },
  left: { upper: [CORNERS.left[0], ...MESH_ANNOTATIONS.leftEyeUpper0, CORNERS.left[1]], lower: MESH_ANNOTATIONS.leftEyeLower0 },
};

/** A line's second coordinate at `u` (its points ordered either way along u), its ends held beyond them. */
export function lineAt(line: ReadonlyArray<readonly [number, number]>, u: number): number {
  const points = line[0][0] <= line[line.length - 1][0] ? line : [...line].reverse();
  if (u <= points[0][0]) return points[0][1];
  for (let k = 1; k < points.length; k++) {
    const [u1, v1] = points[k];
    if (u <= u1) {
      const [u0, v0] = points[k - 1];
      return u1 > u0 ? v0 + ((u - u0) * (v1 - v0)) / (u1 - u0) : v1;
    }
  }
  return points[points.length - 1][1];
}

const apply = (m: Affine2D, x: number, y: number): [number, number] => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];

/** The output crop with both eyeballs redrawn under the output's lids (see the module comment). */
export function drawEyeballs(image: RgbImage, frameCrop: RgbImage, frame: Float32Array, output: Float32Array): RgbImage {
  let out = image;
  for (const eye of ['left', 'right'] as const) out = drawEyeball(out, frameCrop, frame, output, eye);
  return out;
}

function drawEyeball(image: RgbImage, frameCrop: RgbImage, frame: Float32Array, output: Float32Array, eye: EyeSide): RgbImage {
  const own = eyeFrame(frame, eye, 2);
  if (own.halfGap < MIN_FRAME_OPENING * own.halfWidth) return image;
  const toFrame = eyeSimilarity(frame, output, eye);
  const ring = EYE_OPENING[eye].flatMap((i) => [output[2 * i], output[2 * i + 1]]);
  const frameRing = EYE_OPENING[eye].flatMap((i) => [frame[2 * i], frame[2 * i + 1]]);
  const { width, height } = image;
  const box = (points: number[], w: number, h: number) => {
    const xs = points.filter((_, k) => k % 2 === 0),
      ys = points.filter((_, k) => k % 2 === 1);
    return {
      x0: Math.max(0, Math.floor(Math.min(...xs)) - 1),
      x1: Math.min(w - 1, Math.ceil(Math.max(...xs)) + 1),
      y0: Math.max(0, Math.floor(Math.min(...ys)) - 1),
      y1: Math.min(h - 1, Math.ceil(Math.max(...ys)) + 1),
    };
  };
  const to = box(ring, width, height),
    from = box(frameRing, frameCrop.width, frameCrop.height);
  if (to.x1 < to.x0 || to.y1 < to.y0 || from.x1 < from.x0 || from.y1 < from.y0) return image;
  const [w, h] = [to.x1 - to.x0 + 1, to.y1 - to.y0 + 1];
  const [fw, fh] = [from.x1 - from.x0 + 1, from.y1 - from.y0 + 1];
  const coverage = rasterizePolygon([ring.map((v, k) => v - (k % 2 === 0 ? to.x0 : to.y0))], w, h);
  const frameCoverage = rasterizePolygon([frameRing.map((v, k) => v - (k % 2 === 0 ? from.x0 : from.y0))], fw, fh);
  const insideFrame = (x: number, y: number): boolean => {
    const ix = Math.round(x) - from.x0,
      iy = Math.round(y) - from.y0;
    return ix >= 0 && iy >= 0 && ix < fw && iy < fh && frameCoverage[iy * fw + ix] >= 0.5;
  };
  // The lids in the frame eye's own axes (along the corners, across them): the frame's, and the output's
  // brought onto the frame by the similarity.
  const along = (px: number, py: number) => (px - own.centreX) * own.ux + (py - own.centreY) * own.uy;
  const across = (px: number, py: number) => (px - own.centreX) * own.vx + (py - own.centreY) * own.vy;
  const lidLine = (mesh: Float32Array, lid: readonly number[], map?: Affine2D) =>
    lid.map((i) => {
      const [x, y] = map ? apply(map, mesh[2 * i], mesh[2 * i + 1]) : [mesh[2 * i], mesh[2 * i + 1]];
      return [along(x, y), across(x, y)] as const;
    });
  const lids = LIDS[eye];
  const frameUpper = lidLine(frame, lids.upper),
    frameLower = lidLine(frame, lids.lower);
  const outUpper = lidLine(output, lids.upper, toFrame),
    outLower = lidLine(output, lids.lower, toFrame);
  const out = image.data.slice();
  const colour = new Float64Array(3);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const a = coverage[i];
      if (a === 0) continue;
      const [px, py] = [to.x0 + x, to.y0 + y];
      let [sx, sy] = apply(toFrame, px, py);
      const u = along(sx, sy),
        v = across(sx, sy);
      const [fu, fl, ou, ol] = [lineAt(frameUpper, u), lineAt(frameLower, u), lineAt(outUpper, u), lineAt(outLower, u)];
      const band = Math.max(0.5, Math.min(LID_BAND, LID_BAND_SHARE * (fl - fu)));
      // Read from the nearer lid of the output: below the upper one, or above the lower one.
      const source = v - ou <= ol - v ? fu + lidDepth(v - ou, fu - ou, band) : fl - lidDepth(ol - v, ol - fl, band);
      const clamped = Math.min(fl - 0.5, Math.max(fu + 0.5, source));
      sx += (clamped - v) * own.vx;
      sy += (clamped - v) * own.vy;
      // Beyond the frame's corners nothing of its eyeball shows: the warp's pixels stay.
      if (!insideFrame(sx, sy)) continue;
      bilinear(frameCrop, sx, sy, colour);
      const o = 3 * (py * width + px);
      for (let k = 0; k < 3; k++) out[o + k] = out[o + k] + a * (colour[k] - out[o + k]) + 0.5;
    }
  }
  return { data: out, width, height };
}
