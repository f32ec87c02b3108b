/**
 * Which face triangles a supplying face shows the camera, and from where a hidden one is read instead. A
 * triangle turned away (or nearly edge-on) in the source covers few or no source pixels, so warping it onto
 * a triangle the output shows smears its neighbours or samples the background. Faces are close to mirror
 * symmetric: such a triangle reads its mirror triangle (MIRROR_INDEX) where that one faces the camera better,
 * flipped by the affine map because the corners stay matched point to mirrored point.
 */
import { MESH_POINTS } from '@facex/contracts';
import type { FaceFit } from './output-mesh';
import { EXTENDED_TRIANGLES, FACE_TRIANGLE_COUNT, FACE_TRIANGLES, FRONT_FACING_SIGN, MIRROR_INDEX } from './topology';

/** Below this cosine between a triangle's normal and the view direction (≈ 70°) its texture is too foreshortened to use. */
export const MIN_FACING = 0.35;

/**
 * Cosine between the camera direction and the outward normal of a triangle of the fit's 3D mesh (canonical
 * mesh turned by the fit's rotation): 1 facing the camera, ≤ 0 turned away. Front-facing is the winding the
 * triangle has in the frontal canonical face.
 */
function facing(fit: FaceFit, a: number, b: number, c: number, frontSign: number): number {
  const m = fit.canonical, r = fit.rotation;
  const ux = m[3 * b] - m[3 * a], uy = m[3 * b + 1] - m[3 * a + 1], uz = m[3 * b + 2] - m[3 * a + 2];
  const vx = m[3 * c] - m[3 * a], vy = m[3 * c + 1] - m[3 * a + 1], vz = m[3 * c + 2] - m[3 * a + 2];
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const length = Math.hypot(nx, ny, nz);
  if (length < 1e-12) return 0;
  // The projected winding (image x, y) is the z of the rotated normal: R(u × v) = Ru × Rv.
  return (frontSign * (r[6] * nx + r[7] * ny + r[8] * nz)) / length;
}

/** Per face triangle, how squarely the fitted face shows it to the camera (see `facing`). */
export function triangleFacing(fit: FaceFit): Float32Array {
  if (fit.canonical.length !== MESH_POINTS * 3) throw new RangeError(`canonical mesh must hold ${MESH_POINTS} points`);
  const out = new Float32Array(FACE_TRIANGLE_COUNT);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    out[t] = facing(fit, FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2], FRONT_FACING_SIGN[t]);
  }
  return out;
}

/**
 * EXTENDED_TRIANGLES with every face triangle the fit shows worse than MIN_FACING replaced by its mirror
 * triangle where the mirror faces the camera better: the `sourceTriangles` of a warp out of this face.
 */
export function visibleSourceTriangles(fit: FaceFit): Uint16Array {
  const out = EXTENDED_TRIANGLES.slice();
  const own = triangleFacing(fit);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    if (own[t] >= MIN_FACING) continue;
    const a = MIRROR_INDEX[FACE_TRIANGLES[3 * t]], b = MIRROR_INDEX[FACE_TRIANGLES[3 * t + 1]], c = MIRROR_INDEX[FACE_TRIANGLES[3 * t + 2]];
    // Mirroring reverses the winding, so the mirror's front face has the opposite sign.
    if (facing(fit, a, b, c, -FRONT_FACING_SIGN[t]) <= own[t]) continue;
    out[3 * t] = a;
    out[3 * t + 1] = b;
    out[3 * t + 2] = c;
  }
  return out;
}
