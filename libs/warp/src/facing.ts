/**
 * Which face triangles a supplying face shows the camera, and from where a hidden one is read instead. A
 * triangle turned away in the source, or hidden behind the nose, has no pixels of its own there, so warping
 * it onto a triangle the output shows smears its neighbours or samples the background. Faces are close to mirror
 * symmetric: such a triangle reads its mirror triangle (MIRROR_INDEX) where that one faces the camera better,
 * flipped by the affine map because the corners stay matched point to mirrored point.
 */
import { FacexError, MESH_POINTS } from '@facex/contracts';
import { hiddenTest } from './occlusion';
import type { FaceFit } from './output-mesh';
import { EXTENDED_TRIANGLES, FACE_TRIANGLE_COUNT, FACE_TRIANGLES, FRONT_FACING_SIGN, MIRROR_INDEX } from './topology';

/**
 * Below this cosine between a triangle's normal and the view direction the triangle is turned away (0: edge-on).
 * Higher thresholds also replaced steep but visible cheek triangles, whose mirror differs in lighting: patches.
 */
export const MIN_FACING = 0;
/** The mirror must face the camera this much better, so both sides of a frontal face keep their own texture. */
const MIRROR_MARGIN = 0.3;

/**
 * Cosine between the camera direction and the outward normal of a triangle of the fit's 3D mesh (canonical
 * mesh turned by the fit's rotation): 1 facing the camera, ≤ 0 turned away. Front-facing is the winding the
 * triangle has in the frontal canonical face.
 */
function facing(fit: FaceFit, a: number, b: number, c: number, frontSign: number): number {
  const m = fit.canonical,
    r = fit.rotation;
  const ux = m[3 * b] - m[3 * a],
    uy = m[3 * b + 1] - m[3 * a + 1],
    uz = m[3 * b + 2] - m[3 * a + 2];
  const vx = m[3 * c] - m[3 * a],
    vy = m[3 * c + 1] - m[3 * a + 1],
    vz = m[3 * c + 2] - m[3 * a + 2];
  const nx = uy * vz - uz * vy,
    ny = uz * vx - ux * vz,
    nz = ux * vy - uy * vx;
  const length = Math.hypot(nx, ny, nz);
  if (length < 1e-12) return 0;
  // The projected winding (image x, y) is the z of the rotated normal: R(u × v) = Ru × Rv.
  return (frontSign * (r[6] * nx + r[7] * ny + r[8] * nz)) / length;
}

/** Per face triangle, how squarely the fitted face shows it to the camera (see `facing`). */
export function triangleFacing(fit: FaceFit): Float32Array {
  if (fit.canonical.length !== MESH_POINTS * 3) {
    throw new FacexError('invalid_representation', `canonical: ${fit.canonical.length / 3} points, expected ${MESH_POINTS}`, { field: 'canonical' });
  }
  const out = new Float32Array(FACE_TRIANGLE_COUNT);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    out[t] = facing(fit, FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2], FRONT_FACING_SIGN[t]);
  }
  return out;
}

/**
 * EXTENDED_TRIANGLES with every face triangle the fit does not show (turned away below MIN_FACING, or hidden
 * behind a nearer part of the face) replaced by its mirror triangle where the mirror is shown clearly better
 * (not hidden, and facing the camera MIRROR_MARGIN more): the `sourceTriangles` of a warp out of this face.
 */
export function visibleSourceTriangles(fit: FaceFit): Uint16Array {
  const out = EXTENDED_TRIANGLES.slice();
  const own = triangleFacing(fit);
  const hidden = hiddenTest(fit);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    const [p, q, r] = [FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2]];
    const ownHidden = hidden(p, q, r);
    if (own[t] >= MIN_FACING && !ownHidden) continue;
    const a = MIRROR_INDEX[p],
      b = MIRROR_INDEX[q],
      c = MIRROR_INDEX[r];
    if (hidden(a, b, c)) continue;
    // Mirroring reverses the winding, so the mirror's front face has the opposite sign.
    const mirror = facing(fit, a, b, c, -FRONT_FACING_SIGN[t]);
    if (mirror < MIN_FACING || (!ownHidden && mirror < own[t] + MIRROR_MARGIN)) continue;
    out[3 * t] = a;
    out[3 * t + 1] = b;
    out[3 * t + 2] = c;
  }
  return out;
}
