/**
 * Least-squares 3D similarity (rotation, uniform scale, translation; no reflection) between corresponding
 * point sets, by Horn's quaternion method: the rotation is the eigenvector of the largest eigenvalue of a
 * symmetric 4×4 matrix built from the cross-covariance. Equivalent to Umeyama's SVD solution, and a 4×4
 * Jacobi eigen-solve is tiny and branch-free enough to be fast.
 */
import { FacexError } from '@facex/contracts';

/** Row-major 3×3 rotation matrix. */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

export interface Similarity3D {
  rotation: Matrix3;
  scale: number;
  translation: [number, number, number];
}

/**
 * Fits target ≈ scale · rotation · source + translation over the points listed in `indices` (all points when
 * omitted), optionally weighted. Both arrays are interleaved x, y, z.
 */
export function fitSimilarity3D(source: ArrayLike<number>, target: ArrayLike<number>, indices?: ArrayLike<number>, weights?: ArrayLike<number>): Similarity3D {
  const count = indices ? indices.length : source.length / 3;
  if (source.length !== target.length || count < 3) {
    throw new FacexError('invalid_representation', '3D similarity fit needs two equally long lists of at least 3 points', { field: 'points' });
  }
  let wSum = 0;
  const ms = [0, 0, 0];
  const mt = [0, 0, 0];
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k] : k;
    const w = weights ? weights[k] : 1;
    wSum += w;
    for (let a = 0; a < 3; a++) {
      ms[a] += w * source[3 * i + a];
      mt[a] += w * target[3 * i + a];
    }
  }
  for (let a = 0; a < 3; a++) {
    ms[a] /= wSum;
    mt[a] /= wSum;
  }
  // Cross-covariance S[a][b] = Σ w · (source_a − ms_a)(target_b − mt_b), and the source spread.
  const s = new Float64Array(9);
  let spread = 0;
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k] : k;
    const w = weights ? weights[k] : 1;
    const p0 = source[3 * i] - ms[0];
    const p1 = source[3 * i + 1] - ms[1];
    const p2 = source[3 * i + 2] - ms[2];
    const q0 = target[3 * i] - mt[0];
    const q1 = target[3 * i + 1] - mt[1];
    const q2 = target[3 * i + 2] - mt[2];
    s[0] += w * p0 * q0;
    s[1] += w * p0 * q1;
    s[2] += w * p0 * q2;
    s[3] += w * p1 * q0;
    s[4] += w * p1 * q1;
    s[5] += w * p1 * q2;
    s[6] += w * p2 * q0;
    s[7] += w * p2 * q1;
    s[8] += w * p2 * q2;
    spread += w * (p0 * p0 + p1 * p1 + p2 * p2);
  }
  if (spread < 1e-12) {
    throw new FacexError('invalid_representation', '3D similarity fit: source points are all the same point', { field: 'points' });
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = s;
  const n = new Float64Array([
    sxx + syy + szz,
    syz - szy,
    szx - sxz,
    sxy - syx,
    syz - szy,
    sxx - syy - szz,
    sxy + syx,
    szx + sxz,
    szx - sxz,
    sxy + syx,
    -sxx + syy - szz,
    syz + szy,
    sxy - syx,
    szx + sxz,
    syz + szy,
    -sxx - syy + szz,
  ]);
  const rotation = quaternionToMatrix(largestEigenvector4(n));
  let projected = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) projected += rotation[3 * b + a] * s[3 * a + b];
  const scale = projected / spread;
  const rms = applyMatrix3(rotation, ms[0], ms[1], ms[2]);
  return {
    rotation,
    scale,
    translation: [mt[0] - scale * rms[0], mt[1] - scale * rms[1], mt[2] - scale * rms[2]],
  };
}

export function applyMatrix3(m: Matrix3, x: number, y: number, z: number): [number, number, number] {
  return [m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z];
}

export function multiplyMatrix3(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array(9).fill(0) as Matrix3;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
  return out;
}

export function transposeMatrix3(m: Matrix3): Matrix3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

/** Maps every point: scale · rotation · p + translation. */
export function applySimilarity3D(t: Similarity3D, points: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  const { rotation: r, scale, translation } = t;
  for (let i = 0; i < points.length; i += 3) {
    const [x, y, z] = applyMatrix3(r, points[i], points[i + 1], points[i + 2]);
    out[i] = scale * x + translation[0];
    out[i + 1] = scale * y + translation[1];
    out[i + 2] = scale * z + translation[2];
  }
  return out;
}

/** Maps every point back: rotationᵀ · (p − translation) / scale. */
export function invertSimilarity3D(t: Similarity3D, points: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  const { rotation: r, scale, translation } = t;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i] - translation[0];
    const y = points[i + 1] - translation[1];
    const z = points[i + 2] - translation[2];
    out[i] = (r[0] * x + r[3] * y + r[6] * z) / scale;
    out[i + 1] = (r[1] * x + r[4] * y + r[7] * z) / scale;
    out[i + 2] = (r[2] * x + r[5] * y + r[8] * z) / scale;
  }
  return out;
}

function quaternionToMatrix([w, x, y, z]: Float64Array): Matrix3 {
  return [
    w * w + x * x - y * y - z * z,
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    w * w - x * x + y * y - z * z,
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    w * w - x * x - y * y + z * z,
  ];
}

/** Unit eigenvector of the largest eigenvalue of a symmetric 4×4 matrix (cyclic Jacobi rotations). */
function largestEigenvector4(input: Float64Array): Float64Array {
  const a = Float64Array.from(input);
  const v = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[4 * p + q] * a[4 * p + q];
    if (off < 1e-22) break;
    for (let p = 0; p < 4; p++) {
      for (let q = p + 1; q < 4; q++) {
        const apq = a[4 * p + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[4 * q + q] - a[4 * p + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[4 * k + p];
          const akq = a[4 * k + q];
          a[4 * k + p] = c * akp - sn * akq;
          a[4 * k + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[4 * p + k];
          const aqk = a[4 * q + k];
          a[4 * p + k] = c * apk - sn * aqk;
          a[4 * q + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[4 * k + p];
          const vkq = v[4 * k + q];
          v[4 * k + p] = c * vkp - sn * vkq;
          v[4 * k + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let k = 1; k < 4; k++) if (a[5 * k] > a[5 * best]) best = k;
  const out = new Float64Array([v[best], v[4 + best], v[8 + best], v[12 + best]]);
  const norm = Math.hypot(out[0], out[1], out[2], out[3]);
  for (let k = 0; k < 4; k++) out[k] /= norm;
  return out;
}
