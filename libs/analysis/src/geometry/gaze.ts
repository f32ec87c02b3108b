/**
 * Gaze per eye from the iris centre within the eye opening, measured in the image along the eye's own axes
 * (so head roll does not leak in): horizontal along the line from the image-left to the image-right eye
 * corner, vertical along its perpendicular (image down), centred on the midpoint of the corners and the lids.
 *   offsetX = horizontal displacement ÷ half the corner-to-corner width, offsetY = vertical displacement ÷ half
 *   the lid gap, both clamped to −1…1 (positive: toward image right / down).
 *   Angles from an eyeball model: the iris moves on a sphere of radius EYEBALL_RADIUS_PER_EYE_WIDTH × eye
 *   width, so angle = asin(displacement ÷ radius). Signs follow contracts HeadPose (right-handed about the
 *   camera axes): yaw > 0 when the eye turns toward image left, pitch > 0 when it looks down.
 * The angles are eye-in-head (relative to the face), not in the camera frame.
 */
import { EyeGaze, FacexError } from '@facex/contracts';
import { EyeSide, IRIS_POINTS, LANDMARK } from '../topology/mesh-landmarks';
import { assertMesh } from './mesh-points';

/** Eyeball radius ≈ 12 mm against a palpebral fissure ≈ 29 mm. */
export const EYEBALL_RADIUS_PER_EYE_WIDTH = 0.42;

const DEG = 180 / Math.PI;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

const EYE_LANDMARKS = {
  right: { corners: [LANDMARK.rightEyeOuterCorner, LANDMARK.rightEyeInnerCorner], lids: [LANDMARK.rightEyeUpperLid, LANDMARK.rightEyeLowerLid] },
  left: { corners: [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner], lids: [LANDMARK.leftEyeUpperLid, LANDMARK.leftEyeLowerLid] },
} as const;

/** Iris centre and radius [x, y, r] from the iris model's 5 points (centre, then 4 on the boundary). */
export function irisCircle(irisPoints: ArrayLike<number>, stride: 2 | 3 = 2): [number, number, number] {
  if (irisPoints.length !== IRIS_POINTS * stride) {
    throw new FacexError('invalid_representation', `iris points must hold ${IRIS_POINTS} × ${stride} numbers, got ${irisPoints.length}`, { field: 'iris' });
  }
  const cx = irisPoints[0];
  const cy = irisPoints[1];
  let radius = 0;
  for (let k = 1; k < IRIS_POINTS; k++) radius += Math.hypot(irisPoints[k * stride] - cx, irisPoints[k * stride + 1] - cy);
  if (!Number.isFinite(cx) || !Number.isFinite(cy) || !Number.isFinite(radius)) {
    throw new FacexError('invalid_representation', 'iris points must be finite numbers', { field: 'iris' });
  }
  return [cx, cy, radius / (IRIS_POINTS - 1)];
}

/**
 * The frame gaze is measured in, for one eye of a mesh (x, y per point at `stride`): the point of offset
 * (0, 0), the unit axes along the corners (image left → right) and across them (image down), and the half
 * width and half lid gap that offsets ±1 reach.
 */
export interface EyeFrame {
  centreX: number;
  centreY: number;
  ux: number;
  uy: number;
  vx: number;
  vy: number;
  halfWidth: number;
  halfGap: number;
}

export function eyeFrame(mesh: ArrayLike<number>, eye: EyeSide, stride: 2 | 3 = 3): EyeFrame {
  const { corners, lids } = EYE_LANDMARKS[eye];
  let ax = mesh[stride * corners[0]];
  let ay = mesh[stride * corners[0] + 1];
  let bx = mesh[stride * corners[1]];
  let by = mesh[stride * corners[1] + 1];
  if (bx < ax) [ax, ay, bx, by] = [bx, by, ax, ay];
  const width = Math.hypot(bx - ax, by - ay);
  if (!(width > 1e-6)) throw new FacexError('invalid_representation', `${eye} eye corners coincide`, { field: 'mesh' });
  const ux = (bx - ax) / width;
  const uy = (by - ay) / width;
  // Perpendicular pointing image-down for an upright face.
  const vx = -uy;
  const vy = ux;
  const upperX = mesh[stride * lids[0]];
  const upperY = mesh[stride * lids[0] + 1];
  const lowerX = mesh[stride * lids[1]];
  const lowerY = mesh[stride * lids[1] + 1];
  const gap = Math.max((lowerX - upperX) * vx + (lowerY - upperY) * vy, width * 0.05);
  const along = ((ax + bx) / 2) * ux + ((ay + by) / 2) * uy;
  const across = ((upperX + lowerX) / 2) * vx + ((upperY + lowerY) / 2) * vy;
  return { centreX: along * ux + across * vx, centreY: along * uy + across * vy, ux, uy, vx, vy, halfWidth: width / 2, halfGap: gap / 2 };
}

/** Gaze of one eye given the mesh (image pixels) and that eye's iris centre (image pixels). */
export function eyeGaze(mesh: Float32Array, eye: EyeSide, irisX: number, irisY: number): EyeGaze {
  assertMesh(mesh);
  if (!Number.isFinite(irisX) || !Number.isFinite(irisY)) {
    throw new FacexError('invalid_representation', `${eye} iris centre must be finite`, { field: `iris.${eye}` });
  }
  const frame = eyeFrame(mesh, eye);
  const dx = (irisX - frame.centreX) * frame.ux + (irisY - frame.centreY) * frame.uy;
  const dy = (irisX - frame.centreX) * frame.vx + (irisY - frame.centreY) * frame.vy;
  const radius = EYEBALL_RADIUS_PER_EYE_WIDTH * 2 * frame.halfWidth;
  return {
    offsetX: clamp(dx / frame.halfWidth, -1, 1),
    offsetY: clamp(dy / frame.halfGap, -1, 1),
    yaw: -Math.asin(clamp(dx / radius, -1, 1)) * DEG,
    pitch: Math.asin(clamp(dy / radius, -1, 1)) * DEG,
  };
}

/** Gaze of both eyes from the mesh and each eye's iris circle or iris points' centre ("left" = subject's left). */
export function gazeOfBothEyes(
  mesh: Float32Array,
  rightIris: readonly [number, number, ...number[]],
  leftIris: readonly [number, number, ...number[]],
): { left: EyeGaze; right: EyeGaze } {
  return { right: eyeGaze(mesh, 'right', rightIris[0], rightIris[1]), left: eyeGaze(mesh, 'left', leftIris[0], leftIris[1]) };
}
