/**
 * The ears' estimated shape on the aligned crop: on each side an ellipse attached to the face silhouette
 * between eye height and nose-bottom height, sized by the inter-ocular distance, faded out on the far side as
 * the head turns (the far ear hides behind the head). Colour and the person mask are applied by the caller.
 */
import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { depthAlong, FaceFrame, offsetAcross } from './face-frame';
import { meanOfPoints } from './mesh-points';

/** Visible width of an ear seen from the front, in inter-ocular distances. */
export const EAR_WIDTH_PER_IOD = 0.35;
/** The ear's height relative to the eye-to-nose-bottom span it is drawn in (ears reach a bit beyond it). */
const EAR_HEIGHT_PER_SPAN = 1.2;
/** How far the ellipse's centre sits outside the silhouette, in semi-widths (the rest overlaps the cheek). */
const EAR_OUTSET_PER_SEMI_WIDTH = 0.6;
/** The far ear is fully visible up to EAR_FULL_YAW degrees of yaw and hidden from EAR_HIDDEN_YAW on. */
export const EAR_FULL_YAW = 8;
export const EAR_HIDDEN_YAW = 35;

const SILHOUETTE: readonly number[] = MESH_ANNOTATIONS.silhouette;

/** Silhouette points beside each eye-to-nose-bottom band (where the ears attach). */
const EAR_SIDES = (() => {
  const top = Math.min(CANONICAL_FACE[3 * LANDMARK.rightEyeOuterCorner + 1], 0);
  const bottom = CANONICAL_FACE[3 * LANDMARK.noseBottom + 1];
  const inBand = (i: number): boolean => CANONICAL_FACE[3 * i + 1] >= top && CANONICAL_FACE[3 * i + 1] <= bottom;
  return {
    right: SILHOUETTE.filter((i) => inBand(i) && CANONICAL_FACE[3 * i] < 0),
    left: SILHOUETTE.filter((i) => inBand(i) && CANONICAL_FACE[3 * i] > 0),
  };
})();

/**
 * Visibility (0…1) of the subject's right and left ear at head yaw `yaw` (degrees, HeadPose convention:
 * yaw > 0 turns the face toward the image's left, which takes the subject's right ear away from the camera).
 */
export function earVisibility(yaw: number): { right: number; left: number } {
  const fade = (Math.abs(yaw) - EAR_FULL_YAW) / (EAR_HIDDEN_YAW - EAR_FULL_YAW);
  const far = fade <= 0 ? 1 : fade >= 1 ? 0 : 1 - fade;
  return yaw > 0 ? { right: far, left: 1 } : { right: 1, left: far };
}

/** Both ears' soft ellipses (0…1) on a size × size crop; `points` is the mesh in crop pixels. */
export function earShapes(points: Float32Array, frame: FaceFrame, yaw: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const visible = earVisibility(yaw);
  const top = depthAlong(frame, points[3 * LANDMARK.rightEyeOuterCorner], points[3 * LANDMARK.rightEyeOuterCorner + 1]);
  const topLeft = depthAlong(frame, points[3 * LANDMARK.leftEyeOuterCorner], points[3 * LANDMARK.leftEyeOuterCorner + 1]);
  const bottom = depthAlong(frame, points[3 * LANDMARK.noseBottom], points[3 * LANDMARK.noseBottom + 1]);
  const centreDepth = ((top + topLeft) / 2 + bottom) / 2;
  const semiHeight = Math.max(1, (EAR_HEIGHT_PER_SPAN * (bottom - (top + topLeft) / 2)) / 2);
  const semiWidth = Math.max(1, (EAR_WIDTH_PER_IOD * frame.interOcular) / 2);
  for (const [side, outward] of [
    ['right', -1],
    ['left', 1],
  ] as const) {
    if (visible[side] <= 0) continue;
    const [sx, sy] = meanOfPoints(points, EAR_SIDES[side]);
    const centreAcross = offsetAcross(frame, sx, sy) + outward * EAR_OUTSET_PER_SEMI_WIDTH * semiWidth;
    const cx = frame.originX + centreAcross * frame.acrossX + centreDepth * frame.downX;
    const cy = frame.originY + centreAcross * frame.acrossY + centreDepth * frame.downY;
    drawSoftEllipse(out, size, cx, cy, semiWidth, semiHeight, frame, visible[side]);
  }
  return out;
}

/** Max-blends an ellipse aligned with the face axes, with a one-pixel anti-aliased rim, scaled by `value`. */
function drawSoftEllipse(
  out: Float32Array,
  size: number,
  cx: number,
  cy: number,
  semiWidth: number,
  semiHeight: number,
  frame: FaceFrame,
  value: number,
): void {
  const extent = Math.max(semiWidth, semiHeight) + 1;
  const x0 = Math.max(0, Math.floor(cx - extent));
  const x1 = Math.min(size - 1, Math.ceil(cx + extent));
  const y0 = Math.max(0, Math.floor(cy - extent));
  const y1 = Math.min(size - 1, Math.ceil(cy + extent));
  const rim = Math.min(semiWidth, semiHeight);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const u = ((x - cx) * frame.acrossX + (y - cy) * frame.acrossY) / semiWidth;
      const v = ((x - cx) * frame.downX + (y - cy) * frame.downY) / semiHeight;
      // (1 − r) · rim approximates the distance inside the rim in pixels; +½ centres the anti-aliasing on it.
      const inside = (1 - Math.sqrt(u * u + v * v)) * rim + 0.5;
      if (inside <= 0) continue;
      const p = y * size + x;
      const a = (inside >= 1 ? 1 : inside) * value;
      if (a > out[p]) out[p] = a;
    }
  }
}
