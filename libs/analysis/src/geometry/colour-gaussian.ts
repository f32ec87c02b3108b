/** A weighted 3D Gaussian over Lab colours (full covariance), fitted from per-pixel weights. */

export interface ColourGaussian {
  mean: Float64Array;
  /** Inverse covariance, upper triangle: xx, xy, xz, yy, yz, zz. */
  inverse: Float64Array;
  /** log det(covariance). */
  logDet: number;
  /** Total weight the fit saw (≈ pixel count for 0…1 weights). */
  weight: number;
}

/**
 * Fits mean and covariance of the colours `lab` (3 per pixel) weighted by `weights` (0 = not a sample).
 * `minVariance` is added to the diagonal so that a flat seed (one uniform colour) stays invertible and does
 * not become over-confident. Returns null when no pixel has weight.
 */
export function fitColourGaussian(lab: Float32Array, weights: Float32Array, minVariance: readonly [number, number, number]): ColourGaussian | null {
  let w = 0;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let p = 0; p < weights.length; p++) {
    const k = weights[p];
    if (k <= 0) continue;
    w += k;
    m0 += k * lab[3 * p];
    m1 += k * lab[3 * p + 1];
    m2 += k * lab[3 * p + 2];
  }
  if (w <= 0) return null;
  m0 /= w;
  m1 /= w;
  m2 /= w;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c11 = 0,
    c12 = 0,
    c22 = 0;
  for (let p = 0; p < weights.length; p++) {
    const k = weights[p];
    if (k <= 0) continue;
    const x = lab[3 * p] - m0;
    const y = lab[3 * p + 1] - m1;
    const z = lab[3 * p + 2] - m2;
    c00 += k * x * x;
    c01 += k * x * y;
    c02 += k * x * z;
    c11 += k * y * y;
    c12 += k * y * z;
    c22 += k * z * z;
  }
  c00 = c00 / w + minVariance[0];
  c11 = c11 / w + minVariance[1];
  c22 = c22 / w + minVariance[2];
  c01 /= w;
  c02 /= w;
  c12 /= w;
  // Adjugate over determinant; the added diagonal keeps the (positive semi-definite) matrix definite.
  const i00 = c11 * c22 - c12 * c12;
  const i01 = c02 * c12 - c01 * c22;
  const i02 = c01 * c12 - c02 * c11;
  const det = c00 * i00 + c01 * i01 + c02 * i02;
  const inverse = Float64Array.of(i00 / det, i01 / det, i02 / det, (c00 * c22 - c02 * c02) / det, (c01 * c02 - c00 * c12) / det, (c00 * c11 - c01 * c01) / det);
  return { mean: Float64Array.of(m0, m1, m2), inverse, logDet: Math.log(det), weight: w };
}

/** Squared Mahalanobis distance of the colour (l, a, b) from `g`. */
export function mahalanobis2(g: ColourGaussian, l: number, a: number, b: number): number {
  const x = l - g.mean[0];
  const y = a - g.mean[1];
  const z = b - g.mean[2];
  const k = g.inverse;
  return k[0] * x * x + k[3] * y * y + k[5] * z * z + 2 * (k[1] * x * y + k[2] * x * z + k[4] * y * z);
}
