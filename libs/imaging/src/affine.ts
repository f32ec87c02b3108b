/** 2×3 affine matrices (the contract's Affine2D, row-major [a, b, tx, c, d, ty]) and similarity fitting. */
import { FacexError, type Affine2D } from '@facex/contracts';

export function scaleAffine(scale: number): Affine2D {
  return [scale, 0, 0, 0, scale, 0];
}

/** `outer ∘ inner`: first `inner`, then `outer`. */
export function composeAffine(outer: Affine2D, inner: Affine2D): Affine2D {
  const [a, b, c, d, e, f] = outer;
  const [g, h, i, j, k, l] = inner;
  return [a * g + b * j, a * h + b * k, a * i + b * l + c, d * g + e * j, d * h + e * k, d * i + e * l + f];
}

export function invertAffine(m: Affine2D): Affine2D {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) {
    throw new FacexError('invalid_representation', 'alignment.matrix: the matrix is singular', { field: 'alignment.matrix' });
  }
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

export function applyAffine(m: Affine2D, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/**
 * Least-squares similarity (rotation, uniform scale, translation) taking the points `from` onto `to`
 * (interleaved x, y; `count` points read from each with `stride` numbers per point). Closed form on the
 * centred points; needs two distinct points.
 */
export function fitSimilarity(from: ArrayLike<number>, to: ArrayLike<number>, count: number, stride = 2): Affine2D {
  let fx = 0,
    fy = 0,
    tx = 0,
    ty = 0;
  for (let i = 0; i < count; i++) {
    fx += from[i * stride];
    fy += from[i * stride + 1];
    tx += to[i * stride];
    ty += to[i * stride + 1];
  }
  fx /= count;
  fy /= count;
  tx /= count;
  ty /= count;
  let spread = 0,
    dot = 0,
    cross = 0;
  for (let i = 0; i < count; i++) {
    const x = from[i * stride] - fx,
      y = from[i * stride + 1] - fy;
    const u = to[i * stride] - tx,
      v = to[i * stride + 1] - ty;
    spread += x * x + y * y;
    dot += x * u + y * v;
    cross += x * v - y * u;
  }
  if (!(spread > 1e-12)) {
    throw new FacexError('invalid_representation', 'landmarks: too few distinct points to fit a similarity', { field: 'landmarks' });
  }
  const a = dot / spread;
  const b = cross / spread;
  return [a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)];
}
