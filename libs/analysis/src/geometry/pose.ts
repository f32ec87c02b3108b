/**
 * Head pose by fitting the canonical face to the mesh with a 3D similarity (the mesh's z is on the x scale, so
 * scaled-orthographic Procrustes is a full 3D similarity fit). Only points that expressions barely move take
 * part: everything above the nose bottom except the brows and the eyelids.
 *
 * Angle conventions (contracts HeadPose): the camera frame of the mesh, x right, y down, z away from the
 * camera (right-handed). The head rotation is R = Rz(roll) · Rx(pitch) · Ry(yaw) applied to the frontal
 * canonical face, each angle right-handed about its camera axis, so on screen:
 *   yaw > 0: the face turns toward the image's left (the subject's right), nose moves to −x;
 *   pitch > 0: the face tilts down (chin toward the chest), nose moves to +y;
 *   roll > 0: the face rotates clockwise in the image.
 */
import { HeadPose, MESH_POINTS } from '@facex/contracts';
import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { assertMesh } from './mesh-points';
import { fitSimilarity3D, invertSimilarity3D, Matrix3, multiplyMatrix3, Similarity3D } from './similarity3d';

const DEG = 180 / Math.PI;

/** Mesh points that move little with expression (see the module comment). */
export const RIGID_POINTS: Uint16Array = (() => {
  const excluded = new Set<number>([
    ...MESH_ANNOTATIONS.rightEyebrowUpper,
    ...MESH_ANNOTATIONS.rightEyebrowLower,
    ...MESH_ANNOTATIONS.leftEyebrowUpper,
    ...MESH_ANNOTATIONS.leftEyebrowLower,
    ...MESH_ANNOTATIONS.rightEyeUpper0,
    ...MESH_ANNOTATIONS.rightEyeLower0,
    ...MESH_ANNOTATIONS.rightEyeUpper1,
    ...MESH_ANNOTATIONS.rightEyeLower1,
    ...MESH_ANNOTATIONS.leftEyeUpper0,
    ...MESH_ANNOTATIONS.leftEyeLower0,
    ...MESH_ANNOTATIONS.leftEyeUpper1,
    ...MESH_ANNOTATIONS.leftEyeLower1,
  ]);
  const noseBottomY = CANONICAL_FACE[3 * LANDMARK.noseBottom + 1];
  const rigid: number[] = [];
  for (let i = 0; i < MESH_POINTS; i++) if (CANONICAL_FACE[3 * i + 1] <= noseBottomY && !excluded.has(i)) rigid.push(i);
  return Uint16Array.from(rigid);
})();

export interface HeadFit {
  pose: HeadPose;
  /** canonical face → mesh. */
  transform: Similarity3D;
  /** The mesh with pose and scale removed, in the canonical frame; units ≈ inter-ocular distance. */
  canonicalMesh: Float32Array;
}

/** Fits the canonical face to a MESH_POINTS × 3 mesh (image pixels) and returns pose and canonical mesh. */
export function fitHead(mesh: Float32Array): HeadFit {
  assertMesh(mesh);
  const transform = fitSimilarity3D(CANONICAL_FACE, mesh, RIGID_POINTS);
  return { pose: poseFromRotation(transform.rotation), transform, canonicalMesh: invertSimilarity3D(transform, mesh) };
}

/** Rotation matrix of a pose: Rz(roll) · Rx(pitch) · Ry(yaw), angles in degrees. */
export function rotationFromPose({ yaw, pitch, roll }: HeadPose): Matrix3 {
  const [cy, sy] = [Math.cos(yaw / DEG), Math.sin(yaw / DEG)];
  const [cp, sp] = [Math.cos(pitch / DEG), Math.sin(pitch / DEG)];
  const [cr, sr] = [Math.cos(roll / DEG), Math.sin(roll / DEG)];
  const ry: Matrix3 = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx: Matrix3 = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const rz: Matrix3 = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  return multiplyMatrix3(rz, multiplyMatrix3(rx, ry));
}

/** Inverse of rotationFromPose (pitch in −90…90°). */
export function poseFromRotation(r: Matrix3): HeadPose {
  // Row 2 of Rz·Rx·Ry is (−cos p · sin y, sin p, cos p · cos y); column 1 is (−sin r · cos p, cos r · cos p, sin p).
  const pitch = Math.asin(Math.max(-1, Math.min(1, r[7])));
  return {
    yaw: Math.atan2(-r[6], r[8]) * DEG,
    pitch: pitch * DEG,
    roll: Math.atan2(-r[1], r[4]) * DEG,
  };
}
