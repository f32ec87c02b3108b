/**
 * Lighting as second-order spherical harmonics (contracts FaceEnvironment.lighting: 9 coefficients per RGB
 * channel, channel-major), fitted by least squares to the colours of the skin vertices under a constant-albedo
 * Lambertian assumption (albedo and the cosine-lobe convolution are folded into the coefficients):
 *   colour_c(v) ≈ Σ_k L_c,k · Y_k(n_v).
 * Normals are per-vertex, area-weighted from the mesh triangulation, in the camera frame of the mesh (x right,
 * y down, z away from the camera), oriented out of the face (toward the camera when frontal). Basis order
 * (real SH): Y00, Y1−1 ∝ y, Y10 ∝ z, Y11 ∝ x, Y2−2 ∝ xy, Y2−1 ∝ yz, Y20 ∝ 3z²−1, Y21 ∝ xz, Y22 ∝ x²−y².
 * Light from the image's left (−x) therefore gives a negative Y11 coefficient. Colours are in 0…1.
 */
import { FacexError, MESH_POINTS } from '@facex/contracts';
import { assertRgbImage, RgbImage } from '@facex/imaging';
import { CANONICAL_FACE, FACE_TRIANGLES } from '../topology/mesh-data';
import { LANDMARK } from '../topology/mesh-landmarks';
import { FACE_POLYGONS, insideRing } from './face-polygons';
import { assertMesh } from './mesh-points';

export const SH_COEFFICIENTS = 9;

/** Writes the 9 real SH basis values of unit normal (x, y, z) into out[offset…offset+8]. */
export function shBasis(x: number, y: number, z: number, out: Float64Array | Float32Array, offset = 0): void {
  out[offset] = 0.282095;
  out[offset + 1] = 0.488603 * y;
  out[offset + 2] = 0.488603 * z;
  out[offset + 3] = 0.488603 * x;
  out[offset + 4] = 1.092548 * x * y;
  out[offset + 5] = 1.092548 * y * z;
  out[offset + 6] = 0.315392 * (3 * z * z - 1);
  out[offset + 7] = 1.092548 * x * z;
  out[offset + 8] = 0.546274 * (x * x - y * y);
}

/** Sign that orients the triangulation's normals out of the face (checked on the canonical nose tip). */
const OUTWARD_SIGN = (() => {
  const normals = rawVertexNormals(CANONICAL_FACE);
  return normals[3 * LANDMARK.noseTip + 2] < 0 ? 1 : -1;
})();

/** Unit outward normal per mesh vertex (MESH_POINTS × 3). */
export function vertexNormals(mesh: ArrayLike<number>): Float32Array {
  const normals = rawVertexNormals(mesh);
  for (let i = 0; i < MESH_POINTS; i++) {
    const n = Math.hypot(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]) || 1;
    for (let a = 0; a < 3; a++) normals[3 * i + a] = (OUTWARD_SIGN * normals[3 * i + a]) / n;
  }
  return normals;
}

/** Sum of the (area-weighted) triangle normals at each vertex, in triangulation winding. */
function rawVertexNormals(mesh: ArrayLike<number>): Float32Array {
  const normals = new Float32Array(MESH_POINTS * 3);
  for (let t = 0; t < FACE_TRIANGLES.length; t += 3) {
    const a = 3 * FACE_TRIANGLES[t];
    const b = 3 * FACE_TRIANGLES[t + 1];
    const c = 3 * FACE_TRIANGLES[t + 2];
    const ux = mesh[b] - mesh[a];
    const uy = mesh[b + 1] - mesh[a + 1];
    const uz = mesh[b + 2] - mesh[a + 2];
    const vx = mesh[c] - mesh[a];
    const vy = mesh[c + 1] - mesh[a + 1];
    const vz = mesh[c + 2] - mesh[a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      normals[v] += nx;
      normals[v + 1] += ny;
      normals[v + 2] += nz;
    }
  }
  return normals;
}

/** Vertices of plain skin: inside the face oval, off its rim, and outside eyes, brows, lips and nostril rims. */
export const SKIN_VERTICES: Uint16Array = (() => {
  const excludedRings = [FACE_POLYGONS.rightEye, FACE_POLYGONS.leftEye, FACE_POLYGONS.rightBrow, FACE_POLYGONS.leftBrow, FACE_POLYGONS.lipsOuter];
  const rim = new Set(FACE_POLYGONS.faceOval);
  const onExcludedOutline = new Set(excludedRings.flatMap((r) => [...r]));
  const skin: number[] = [];
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = CANONICAL_FACE[3 * i];
    const y = CANONICAL_FACE[3 * i + 1];
    if (rim.has(i) || onExcludedOutline.has(i)) continue;
    if (excludedRings.some((r) => insideRing(CANONICAL_FACE, r, x, y))) continue;
    skin.push(i);
  }
  return Uint16Array.from(skin);
})();

/** Skin vertices facing the camera less than this (−n_z) are skipped: grazing views mix in background. */
const MIN_FACING = 0.2;

/** Fits the 27 SH lighting coefficients (channel-major) to the skin of one face. */
export function fitLighting(mesh: Float32Array, image: RgbImage): Float32Array {
  assertMesh(mesh);
  assertRgbImage(image, 'image');
  const { data, width, height } = image;
  const normals = vertexNormals(mesh);
  const ata = new Float64Array(81);
  const atb = new Float64Array(27);
  const basis = new Float64Array(9);
  let used = 0;
  for (const i of SKIN_VERTICES) {
    const nz = normals[3 * i + 2];
    const px = mesh[3 * i];
    const py = mesh[3 * i + 1];
    if (-nz < MIN_FACING || px < 0 || py < 0 || px >= width - 1 || py >= height - 1) continue;
    shBasis(normals[3 * i], normals[3 * i + 1], nz, basis);
    const x0 = Math.floor(px);
    const y0 = Math.floor(py);
    const fx = px - x0;
    const fy = py - y0;
    for (let c = 0; c < 3; c++) {
      const o = (y0 * width + x0) * 3 + c;
      const top = data[o] + (data[o + 3] - data[o]) * fx;
      const bottom = data[o + width * 3] + (data[o + width * 3 + 3] - data[o + width * 3]) * fx;
      const colour = (top + (bottom - top) * fy) / 255;
      for (let k = 0; k < 9; k++) atb[c * 9 + k] += basis[k] * colour;
    }
    for (let r = 0; r < 9; r++) for (let k = 0; k < 9; k++) ata[r * 9 + k] += basis[r] * basis[k];
    used++;
  }
  if (used < SH_COEFFICIENTS) {
    throw new FacexError('invalid_representation', `only ${used} skin vertices are visible inside the image; lighting needs ${SH_COEFFICIENTS}`, {
      field: 'mesh',
    });
  }
  // A small ridge keeps the system solvable when the visible normals do not span every basis function.
  let trace = 0;
  for (let k = 0; k < 9; k++) trace += ata[k * 10];
  for (let k = 0; k < 9; k++) ata[k * 10] += 1e-6 * trace;
  const factor = choleskyFactor(ata, 9);
  const out = new Float32Array(27);
  for (let c = 0; c < 3; c++) out.set(choleskySolve(factor, 9, atb.subarray(c * 9, c * 9 + 9)), c * 9);
  return out;
}

function choleskyFactor(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c <= r; c++) {
      let sum = a[r * n + c];
      for (let k = 0; k < c; k++) sum -= l[r * n + k] * l[c * n + k];
      l[r * n + c] = r === c ? Math.sqrt(Math.max(sum, 1e-30)) : sum / l[c * n + c];
    }
  }
  return l;
}

function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sum = b[r];
    for (let k = 0; k < r; k++) sum -= l[r * n + k] * y[k];
    y[r] = sum / l[r * n + r];
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let sum = y[r];
    for (let k = r + 1; k < n; k++) sum -= l[k * n + r] * x[k];
    x[r] = sum / l[r * n + r];
  }
  return x;
}
