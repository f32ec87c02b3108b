/**
 * Closed outlines (rings of mesh indices) of the face parts, shared by the region masks and the choice of
 * skin vertices for lighting. Rings walk one contour forward and the opposite contour backwards.
 */
import { CANONICAL_FACE } from '../topology/mesh-data';
import { MESH_ANNOTATIONS as A, NOSE_POINTS } from '../topology/mesh-landmarks';

const ring = (forward: readonly number[], backward: readonly number[]): Uint16Array => Uint16Array.from([...forward, ...[...backward].reverse()]);

export const FACE_POLYGONS = {
  faceOval: Uint16Array.from(A.silhouette),
  rightEye: ring(A.rightEyeLower0, A.rightEyeUpper0),
  leftEye: ring(A.leftEyeLower0, A.leftEyeUpper0),
  rightBrow: ring(A.rightEyebrowUpper, A.rightEyebrowLower),
  leftBrow: ring(A.leftEyebrowUpper, A.leftEyebrowLower),
  /** Outer lip line: corner to corner along the lower lip, back along the upper lip. */
  lipsOuter: ring(A.lipsLowerOuter, A.lipsUpperOuter),
  /** Inner lip line: the mouth opening. */
  mouthInner: ring(A.lipsLowerInner, A.lipsUpperInner),
  /** Convex hull of NOSE_POINTS on the frontal canonical face. */
  nose: convexHullRing(CANONICAL_FACE, NOSE_POINTS),
} as const;

export type FacePolygonName = keyof typeof FACE_POLYGONS;

/** Convex hull (x, y of interleaved xyz points) of the listed points, as a ring of indices (monotone chain). */
export function convexHullRing(points: ArrayLike<number>, indices: readonly number[]): Uint16Array {
  const sorted = [...indices].sort((i, j) => points[3 * i] - points[3 * j] || points[3 * i + 1] - points[3 * j + 1]);
  const turn = (o: number, a: number, b: number): number =>
    (points[3 * a] - points[3 * o]) * (points[3 * b + 1] - points[3 * o + 1]) - (points[3 * a + 1] - points[3 * o + 1]) * (points[3 * b] - points[3 * o]);
  const half = (order: number[]): number[] => {
    const chain: number[] = [];
    for (const p of order) {
      while (chain.length >= 2 && turn(chain[chain.length - 2], chain[chain.length - 1], p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return Uint16Array.from([...half(sorted), ...half([...sorted].reverse())]);
}

/** Even-odd test of (x, y) against a ring of mesh indices of an interleaved xyz point array. */
export function insideRing(points: ArrayLike<number>, ringIndices: ArrayLike<number>, x: number, y: number): boolean {
  let inside = false;
  for (let k = 0, prev = ringIndices.length - 1; k < ringIndices.length; prev = k++) {
    const ax = points[3 * ringIndices[k]];
    const ay = points[3 * ringIndices[k] + 1];
    const bx = points[3 * ringIndices[prev]];
    const by = points[3 * ringIndices[prev] + 1];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}
