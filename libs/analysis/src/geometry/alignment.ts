/**
 * FFHQ-style alignment: the oriented square crop of the FFHQ data set recipe, computed from the eye centres
 * and mouth corners, returned as the similarity image → crop (contracts Affine2D).
 *   eye_avg = mean of the eyes, eye_to_eye = (image-right eye) − (image-left eye),
 *   eye_to_mouth = mean of the mouth corners − eye_avg,
 *   x = eye_to_eye − eye_to_mouth turned by −90°, scaled to max(|eye_to_eye|·2, |eye_to_mouth|·1.8),
 *   y = x turned by +90° (image y is down), centre = eye_avg + 0.1·eye_to_mouth,
 *   crop square = centre ± x ± y (side 2·|x|), mapped onto [0, size]².
 */
import { Affine2D, FacexError } from '@facex/contracts';
import { applyAffine } from '@facex/imaging';
import { LANDMARK } from '../topology/mesh-landmarks';
import { assertMesh, eyeCentre } from './mesh-points';

export type Point2 = readonly [number, number];

export interface FaceKeyPoints {
  /** Subject's right eye centre (image left in an unmirrored photo). */
  rightEye: Point2;
  leftEye: Point2;
  rightMouthCorner: Point2;
  leftMouthCorner: Point2;
}

/** Default output side: the generator's 512 px crop. */
export const ALIGNED_CROP_SIZE = 512;

export function ffhqAlignment(points: FaceKeyPoints, size: number = ALIGNED_CROP_SIZE): Affine2D {
  for (const [field, p] of Object.entries(points) as [string, Point2][]) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new FacexError('invalid_representation', `${field} must be two finite numbers`, { field });
    }
  }
  if (!(size > 0)) throw new FacexError('invalid_representation', 'size must be positive', { field: 'size' });
  const { rightEye, leftEye, rightMouthCorner, leftMouthCorner } = points;
  const eyeAvgX = (rightEye[0] + leftEye[0]) / 2;
  const eyeAvgY = (rightEye[1] + leftEye[1]) / 2;
  const eyeToEyeX = leftEye[0] - rightEye[0];
  const eyeToEyeY = leftEye[1] - rightEye[1];
  const eyeToMouthX = (rightMouthCorner[0] + leftMouthCorner[0]) / 2 - eyeAvgX;
  const eyeToMouthY = (rightMouthCorner[1] + leftMouthCorner[1]) / 2 - eyeAvgY;
  // x = eye_to_eye − (−m_y, m_x): the horizontal direction blended with the perpendicular of eyes → mouth.
  let xx = eyeToEyeX + eyeToMouthY;
  let xy = eyeToEyeY - eyeToMouthX;
  const xLength = Math.hypot(xx, xy);
  const halfSide = Math.max(Math.hypot(eyeToEyeX, eyeToEyeY) * 2, Math.hypot(eyeToMouthX, eyeToMouthY) * 1.8);
  if (!(xLength > 1e-9) || !(halfSide > 1e-9)) {
    throw new FacexError('invalid_representation', 'eyes and mouth coincide; the face cannot be aligned', { field: 'landmarks' });
  }
  xx /= xLength;
  xy /= xLength;
  const centreX = eyeAvgX + 0.1 * eyeToMouthX;
  const centreY = eyeAvgY + 0.1 * eyeToMouthY;
  // Crop coordinates: u = size/2 + (p − c)·x̂ · s, v = size/2 + (p − c)·ŷ · s, ŷ = (−x̂_y, x̂_x), s = size / (2·halfSide).
  const s = size / (2 * halfSide);
  const a = xx * s;
  const b = xy * s;
  const c = -xy * s;
  const d = xx * s;
  return [a, b, size / 2 - (a * centreX + b * centreY), c, d, size / 2 - (c * centreX + d * centreY)];
}

/** The key points of a MESH_POINTS × 3 mesh: eye centres = mean of each eye's lid contour. */
export function keyPointsFromMesh(mesh: Float32Array): FaceKeyPoints {
  assertMesh(mesh);
  const xy = (i: number): Point2 => [mesh[3 * i], mesh[3 * i + 1]];
  const right = eyeCentre(mesh, 'right');
  const left = eyeCentre(mesh, 'left');
  return {
    rightEye: [right[0], right[1]],
    leftEye: [left[0], left[1]],
    rightMouthCorner: xy(LANDMARK.rightMouthCorner),
    leftMouthCorner: xy(LANDMARK.leftMouthCorner),
  };
}

/** Image → aligned crop of side `size` for a mesh. */
export function alignmentFromMesh(mesh: Float32Array, size: number = ALIGNED_CROP_SIZE): Affine2D {
  return ffhqAlignment(keyPointsFromMesh(mesh), size);
}

/**
 * Applies a similarity to interleaved points with `stride` numbers per point (x, y first; a third coordinate,
 * depth, is multiplied by the map's scale so it stays on the x scale, as the mesh convention requires).
 * Inverse, composition and the least-squares similarity fit for N points are @facex/imaging's invertAffine,
 * composeAffine and fitSimilarity.
 */
export function transformPoints(m: Affine2D, points: ArrayLike<number>, stride: 2 | 3 = 2): Float32Array {
  const out = new Float32Array(points.length);
  const scale = Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
  for (let i = 0; i + stride <= points.length; i += stride) {
    const [x, y] = applyAffine(m, points[i], points[i + 1]);
    out[i] = x;
    out[i + 1] = y;
    if (stride === 3) out[i + 2] = points[i + 2] * scale;
  }
  return out;
}
