/**
 * The mesh topology the warp runs on: the 468-point face mesh of FORD (triangles, mirror pairs, the face
 * oval, the rigid points of the pose fit) extended by two rings of points outside the face oval, so that the
 * piecewise-affine warp continues smoothly from the face into hair, ears and background instead of stopping
 * at the mesh edge.
 */
import {
  CANONICAL_FACE,
  expressionDescriptor,
  eyeFrame,
  FACE_TRIANGLES,
  fitHead,
  LANDMARK,
  MESH_ANNOTATIONS,
  MIRROR_INDEX,
  RIGID_POINTS,
  rotationFromPose,
  SH_COEFFICIENTS,
  shBasis,
  SKIN_VERTICES,
  vertexNormals,
  type EyeFrame,
  type EyeSide,
} from '@facex/analysis';
import { MESH_POINTS } from '@facex/contracts';

export {
  CANONICAL_FACE,
  expressionDescriptor,
  eyeFrame,
  FACE_TRIANGLES,
  fitHead,
  LANDMARK,
  MESH_ANNOTATIONS,
  MIRROR_INDEX,
  rotationFromPose,
  SH_COEFFICIENTS,
  shBasis,
  SKIN_VERTICES,
  vertexNormals,
  type EyeFrame,
  type EyeSide,
};

/** Each eye's opening, in order around it: the lower lid from corner to corner, then the upper lid back. */
export const EYE_OPENING: Record<EyeSide, readonly number[]> = {
  right: [...MESH_ANNOTATIONS.rightEyeLower0, ...[...MESH_ANNOTATIONS.rightEyeUpper0].reverse()],
  left: [...MESH_ANNOTATIONS.leftEyeLower0, ...[...MESH_ANNOTATIONS.leftEyeUpper0].reverse()],
};

/** The face oval, in order around the face. */
export const SILHOUETTE: readonly number[] = MESH_ANNOTATIONS.silhouette;
const RING = SILHOUETTE.length;

/** Where the two outer rings sit, as multiples of the oval's distance from its centroid. */
export const RING_SCALES = [1.3, 2.1] as const;

/** Mesh points plus both rings: ring r, oval point k is at MESH_POINTS + r·RING + k. */
export const EXTENDED_POINTS = MESH_POINTS + RING_SCALES.length * RING;
export const FACE_TRIANGLE_COUNT = FACE_TRIANGLES.length / 3;

/** Face triangles, then the bands oval → ring 0 → ring 1, two triangles per quad. */
export const EXTENDED_TRIANGLES: Uint16Array = (() => {
  const band: number[] = [];
  const ring = (r: number, k: number) => (r < 0 ? SILHOUETTE[k % RING] : MESH_POINTS + r * RING + (k % RING));
  for (let r = 0; r < RING_SCALES.length; r++) {
    for (let k = 0; k < RING; k++) band.push(ring(r - 1, k), ring(r - 1, k + 1), ring(r, k + 1), ring(r - 1, k), ring(r, k + 1), ring(r, k));
  }
  return Uint16Array.from([...FACE_TRIANGLES, ...band]);
})();

/** MIRROR_INDEX over the extended points: a ring point mirrors to the ring point of the mirrored oval point. */
export const EXTENDED_MIRROR: Uint16Array = (() => {
  const out = new Uint16Array(EXTENDED_POINTS);
  out.set(MIRROR_INDEX);
  const positionOnOval = new Map(SILHOUETTE.map((point, k) => [point, k]));
  for (let r = 0; r < RING_SCALES.length; r++) {
    for (let k = 0; k < RING; k++) out[MESH_POINTS + r * RING + k] = MESH_POINTS + r * RING + (positionOnOval.get(MIRROR_INDEX[SILHOUETTE[k]]) ?? k);
  }
  return out;
})();

/** 1 where a point moves with expression (everything the pose fit leaves out: brows, lids, mouth, jaw). */
export const EXPRESSION_DRIVEN: Uint8Array = (() => {
  const out = new Uint8Array(MESH_POINTS).fill(1);
  for (const i of RIGID_POINTS) out[i] = 0;
  return out;
})();

/** Sign of each face triangle's area in the frontal canonical face (the sign it has when it faces the camera). */
export const FRONT_FACING_SIGN: Int8Array = (() => {
  const out = new Int8Array(FACE_TRIANGLE_COUNT);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    out[t] = Math.sign(signedArea(CANONICAL_FACE, 3, FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2])) as -1 | 0 | 1;
  }
  return out;
})();

/** Twice the signed area of triangle (a, b, c) of points stored `stride` numbers apart (x, y first). */
export function signedArea(points: ArrayLike<number>, stride: number, a: number, b: number, c: number): number {
  const ax = points[stride * a],
    ay = points[stride * a + 1];
  return (points[stride * b] - ax) * (points[stride * c + 1] - ay) - (points[stride * c] - ax) * (points[stride * b + 1] - ay);
}

/** Appends both rings around the oval of `mesh2d` (MESH_POINTS × (x, y)) into an EXTENDED_POINTS × 2 array. */
export function withRings(mesh2d: Float32Array): Float32Array {
  const out = new Float32Array(EXTENDED_POINTS * 2);
  out.set(mesh2d.subarray(0, MESH_POINTS * 2));
  let cx = 0,
    cy = 0;
  for (const i of SILHOUETTE) {
    cx += mesh2d[2 * i];
    cy += mesh2d[2 * i + 1];
  }
  cx /= RING;
  cy /= RING;
  RING_SCALES.forEach((scale, r) => {
    SILHOUETTE.forEach((i, k) => {
      const o = 2 * (MESH_POINTS + r * RING + k);
      out[o] = cx + scale * (mesh2d[2 * i] - cx);
      out[o + 1] = cy + scale * (mesh2d[2 * i + 1] - cy);
    });
  });
  return out;
}
