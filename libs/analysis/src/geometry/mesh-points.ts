/** Validation and small accessors for the interleaved point arrays every geometry function takes. */
import { FacexError, MESH_POINTS } from '@facex/contracts';
import { EyeSide, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';

/** Throws a typed error unless `points` holds `count` finite points of `dims` coordinates. */
export function assertPoints(points: ArrayLike<number>, count: number, dims: 2 | 3, field: string): void {
  if (points.length !== count * dims) {
    throw new FacexError('invalid_representation', `${field} must hold ${count} × ${dims} numbers, got ${points.length}`, { field });
  }
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) {
      throw new FacexError('invalid_representation', `${field}[${i}] is not a finite number`, { field });
    }
  }
}

/** Throws unless `mesh` is MESH_POINTS × 3 finite numbers. */
export function assertMesh(mesh: ArrayLike<number>, field = 'mesh'): void {
  assertPoints(mesh, MESH_POINTS, 3, field);
}

/** Mean x, y, z of the listed mesh points. */
export function meanOfPoints(mesh: ArrayLike<number>, indices: readonly number[]): [number, number, number] {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const i of indices) {
    x += mesh[3 * i];
    y += mesh[3 * i + 1];
    z += mesh[3 * i + 2];
  }
  const n = indices.length;
  return [x / n, y / n, z / n];
}

const EYE_CONTOURS = {
  right: [...MESH_ANNOTATIONS.rightEyeUpper0, ...MESH_ANNOTATIONS.rightEyeLower0],
  left: [...MESH_ANNOTATIONS.leftEyeUpper0, ...MESH_ANNOTATIONS.leftEyeLower0],
} as const;

/** Centre of one eye: the mean of its lid contour (the mesh's counterpart of FFHQ's mean of eye landmarks). */
export function eyeCentre(mesh: ArrayLike<number>, eye: EyeSide): [number, number, number] {
  return meanOfPoints(mesh, EYE_CONTOURS[eye]);
}

/**
 * The mesh of the horizontally mirrored image (x → mirrorX − x). A mirrored face swaps its left and right
 * points, so point i of the result is the mirrored point `mirrorIndex[i]`, keeping the mesh's topology.
 */
export function mirrorMesh(mesh: ArrayLike<number>, mirrorIndex: ArrayLike<number>, mirrorX = 0): Float32Array {
  const out = new Float32Array(mesh.length);
  for (let i = 0; i < mesh.length / 3; i++) {
    const j = mirrorIndex[i];
    out[3 * i] = mirrorX - mesh[3 * j];
    out[3 * i + 1] = mesh[3 * j + 1];
    out[3 * i + 2] = mesh[3 * j + 2];
  }
  return out;
}
