/**
 * Gradient-domain (Poisson) compositing. Seamless cloning (Pérez et al. 2003) pastes an overlay so that the
 * result keeps the overlay's gradients inside a region and meets the base at its boundary: out = overlay + D,
 * where D is harmonic inside the region and equals base − overlay on the boundary. Boundary seams and global
 * colour casts vanish because D carries the base's colour into the region smoothly, and the overlay's own
 * detail (its gradients) is untouched.
 *
 * The solver is a weighted membrane: minimise Σ_i w_i (D_i − g_i)² + λ Σ_{i~j} (D_i − D_j)² over the pixels
 * of a domain, 4-neighbour edges between domain pixels only (Neumann elsewhere). w = 0 leaves a pixel free
 * (harmonic there), a large w pins it (Dirichlet), a moderate w over a band fits the band in the
 * least-squares sense (robust to texture noise). It is solved by full multigrid: the problem is coarsened
 * 2×2 level by level (data weights summed, edge stiffness kept: the membrane energy rediscretised), residuals
 * restricted by summation, corrections prolonged bilinearly, red-black over-relaxation (SOR) as the smoother;
 * each level starts from the coarser level's solution and runs V-cycles. Cost O(pixels) per channel.
 */
import { FacexError } from '@facex/contracts';
import { nonZeroBox, type PixelBox } from './pixel-box';
import type { MaskPlane, RgbImage } from './types';

export interface MembraneProblem {
  width: number;
  height: number;
  /** Values per pixel (interleaved) in `data` and in the solution. */
  channels: number;
  /** Data weight per pixel (≥ 0; 0 = free). */
  weight: Float32Array;
  /** Per pixel and channel, the value the membrane is pulled to where the weight is positive. */
  data: Float32Array;
  /** 1 where the pixel is part of the domain (default: every pixel); edges join domain pixels only. */
  domain?: Uint8Array;
  /** Stiffness λ of each edge at full resolution (default 1). */
  stiffness?: number;
}

export interface MembraneOptions {
  /** Relaxation sweeps before and after each coarse correction (default 3). */
  sweeps?: number;
  /** V-cycles at full resolution after the full-multigrid pass has reached it (default 2). */
  cycles?: number;
}

/** Coarse levels stop at this size: the coarsest is relaxed to convergence, which is cheap there. */
const COARSEST = 8;
const COARSEST_SWEEPS = 100;
const OVER_RELAXATION = 1.6;

/**
 * One level of the hierarchy, stored with a one-pixel border of non-domain pixels (stride = width + 2), so
 * that the relaxation reads its four neighbours without bounds checks.
 */
interface Level {
  width: number;
  height: number;
  stride: number;
  weight: Float32Array;
  /** 1 on domain pixels, 0 elsewhere and on the border. */
  domain: Float32Array;
  /** 1 / (weight + λ · domain neighbours) on domain pixels whose row is solvable, else 0. */
  inverseDiagonal: Float32Array;
  stiffness: number;
}

function makeLevel(width: number, height: number, weight: Float32Array, domain: Float32Array, stiffness: number): Level {
  const stride = width + 2;
  const inverseDiagonal = new Float32Array(weight.length);
  for (let y = 1; y <= height; y++) {
    for (let i = y * stride + 1, end = i + width; i < end; i++) {
      if (!domain[i]) continue;
      const diagonal = weight[i] + stiffness * (domain[i - 1] + domain[i + 1] + domain[i - stride] + domain[i + stride]);
      if (diagonal > 0) inverseDiagonal[i] = 1 / diagonal;
    }
  }
  return { width, height, stride, weight, domain, inverseDiagonal, stiffness };
}

/**
 * The next coarser level: data weights summed over each 2×2 block and the same edge stiffness (the
 * rediscretised membrane energy: data terms scale with the pixel area, edge terms do not in 2D).
 */
function coarsen(fine: Level): Level {
  const width = (fine.width + 1) >> 1,
    height = (fine.height + 1) >> 1,
    stride = width + 2;
  const size = stride * (height + 2);
  const weight = new Float32Array(size),
    domain = new Float32Array(size);
  for (let y = 0; y < fine.height; y++) {
    for (let x = 0, i = (y + 1) * fine.stride + 1; x < fine.width; x++, i++) {
      if (!fine.domain[i]) continue;
      const o = ((y >> 1) + 1) * stride + (x >> 1) + 1;
      domain[o] = 1;
      weight[o] += fine.weight[i];
    }
  }
  return makeLevel(width, height, weight, domain, fine.stiffness);
}

/** Per-channel sums over the 2×2 blocks of a level's domain pixels (how residuals and data restrict). */
function restrict(fine: Level, values: Float32Array, coarse: Level, channels: number): Float32Array {
  const out = new Float32Array(coarse.weight.length * channels);
  for (let y = 0; y < fine.height; y++) {
    for (let x = 0, i = (y + 1) * fine.stride + 1; x < fine.width; x++, i++) {
      if (!fine.domain[i]) continue;
      const o = (((y >> 1) + 1) * coarse.stride + (x >> 1) + 1) * channels;
      for (let c = 0; c < channels; c++) out[o + c] += values[i * channels + c];
    }
  }
  return out;
}

/** Red-black SOR sweeps of (W + λL) x = rhs on one level, in place. */
function relax(level: Level, x: Float32Array, rhs: Float32Array, channels: number, sweeps: number): void {
  const { width, height, stride, domain: d, inverseDiagonal, stiffness: s } = level;
  const left = -channels,
    right = channels,
    up = -stride * channels,
    down = stride * channels;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let colour = 0; colour < 2; colour++) {
      for (let y = 1; y <= height; y++) {
        for (let i = y * stride + 1 + ((y + colour) & 1), end = y * stride + width; i <= end; i += 2) {
          const inverse = inverseDiagonal[i];
          if (inverse === 0) continue;
          const dl = s * d[i - 1],
            dr = s * d[i + 1],
            du = s * d[i - stride],
            dd = s * d[i + stride];
          for (let p = i * channels, last = p + channels; p < last; p++) {
            const exact = (rhs[p] + dl * x[p + left] + dr * x[p + right] + du * x[p + up] + dd * x[p + down]) * inverse;
            x[p] += OVER_RELAXATION * (exact - x[p]);
          }
        }
      }
    }
  }
}

/** rhs − (W + λL) x on the domain. */
function residual(level: Level, x: Float32Array, rhs: Float32Array, channels: number): Float32Array {
  const { width, height, stride, domain: d, weight, stiffness: s } = level;
  const out = new Float32Array(rhs.length);
  const left = -channels,
    right = channels,
    up = -stride * channels,
    down = stride * channels;
  for (let y = 1; y <= height; y++) {
    for (let i = y * stride + 1, end = i + width; i < end; i++) {
      if (!d[i]) continue;
      const dl = s * d[i - 1],
        dr = s * d[i + 1],
        du = s * d[i - stride],
        dd = s * d[i + stride];
      const diagonal = weight[i] + dl + dr + du + dd;
      for (let p = i * channels, last = p + channels; p < last; p++) {
        out[p] = rhs[p] - diagonal * x[p] + dl * x[p + left] + dr * x[p + right] + du * x[p + up] + dd * x[p + down];
      }
    }
  }
  return out;
}

/** Adds the coarse values, bilinear between coarse pixel centres, to the fine level's domain pixels. */
function addProlonged(coarse: Level, values: Float32Array, fine: Level, into: Float32Array, channels: number): void {
  const cw = coarse.width,
    ch = coarse.height,
    cs = coarse.stride;
  for (let y = 0; y < fine.height; y++) {
    const v = Math.min(Math.max((y - 0.5) / 2, 0), ch - 1),
      y0 = v | 0,
      y1 = Math.min(y0 + 1, ch - 1),
      fy = v - y0;
    const r0 = (y0 + 1) * cs + 1,
      r1 = (y1 + 1) * cs + 1;
    for (let x = 0, i = (y + 1) * fine.stride + 1; x < fine.width; x++, i++) {
      if (!fine.domain[i]) continue;
      const u = Math.min(Math.max((x - 0.5) / 2, 0), cw - 1),
        x0 = u | 0,
        x1 = Math.min(x0 + 1, cw - 1),
        fx = u - x0;
      const a = (r0 + x0) * channels,
        b = (r0 + x1) * channels,
        e = (r1 + x0) * channels,
        f = (r1 + x1) * channels;
      for (let c = 0; c < channels; c++) {
        const top = values[a + c] + fx * (values[b + c] - values[a + c]);
        const bottom = values[e + c] + fx * (values[f + c] - values[e + c]);
        into[i * channels + c] += top + fy * (bottom - top);
      }
    }
  }
}

/** One V-cycle on level k for (W + λL) x = rhs, improving x in place. */
function vCycle(levels: Level[], k: number, x: Float32Array, rhs: Float32Array, channels: number, sweeps: number): void {
  const level = levels[k];
  if (k === levels.length - 1) {
    relax(level, x, rhs, channels, COARSEST_SWEEPS);
    return;
  }
  relax(level, x, rhs, channels, sweeps);
  const coarse = levels[k + 1];
  const coarseRhs = restrict(level, residual(level, x, rhs, channels), coarse, channels);
  const correction = new Float32Array(coarseRhs.length);
  vCycle(levels, k + 1, correction, coarseRhs, channels, sweeps);
  addProlonged(coarse, correction, level, x, channels);
  relax(level, x, rhs, channels, sweeps);
}

/** The membrane D of the problem (see the module comment); 0 everywhere when no pixel has data. */
export function solveMembrane(problem: MembraneProblem, options: MembraneOptions = {}): Float32Array {
  const { width, height, channels, weight, data } = problem;
  const pixels = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || !Number.isInteger(channels) || channels < 1) {
    throw new FacexError('invalid_representation', `membrane: bad size ${width}×${height}×${channels}`, { field: 'size' });
  }
  if (weight.length !== pixels || data.length !== pixels * channels || (problem.domain && problem.domain.length !== pixels)) {
    throw new FacexError('invalid_representation', `membrane: weight, data and domain must hold ${pixels} pixels of ${channels} values`, { field: 'data' });
  }
  const stiffness = problem.stiffness ?? 1;
  if (!(stiffness > 0)) throw new FacexError('invalid_representation', 'membrane: stiffness must be positive', { field: 'stiffness' });
  // The finest level, padded (see Level).
  const stride = width + 2,
    size = stride * (height + 2);
  const paddedWeight = new Float32Array(size),
    domain = new Float32Array(size),
    rhs = new Float32Array(size * channels);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0, o = (y + 1) * stride + 1; x < width; x++, i++, o++) {
      const w = weight[i];
      if (!(w >= 0)) throw new FacexError('invalid_representation', `membrane: weight[${i}] must be ≥ 0`, { field: 'weight' });
      if (problem.domain && !problem.domain[i]) continue;
      domain[o] = 1;
      paddedWeight[o] = w;
      for (let c = 0; c < channels; c++) rhs[o * channels + c] = w * data[i * channels + c];
    }
  }
  const levels: Level[] = [makeLevel(width, height, paddedWeight, domain, stiffness)];
  while (Math.max(levels[levels.length - 1].width, levels[levels.length - 1].height) > COARSEST) levels.push(coarsen(levels[levels.length - 1]));
  const sweeps = options.sweeps ?? 3,
    cycles = options.cycles ?? 2;
  // Full multigrid: the right-hand side restricted to every level; each level starts from the coarser solution.
  const rhsOf: Float32Array[] = [rhs];
  for (let k = 1; k < levels.length; k++) rhsOf.push(restrict(levels[k - 1], rhsOf[k - 1], levels[k], channels));
  let x = new Float32Array(rhsOf[levels.length - 1].length);
  vCycle(levels, levels.length - 1, x, rhsOf[levels.length - 1], channels, sweeps);
  for (let k = levels.length - 2; k >= 0; k--) {
    const next = new Float32Array(rhsOf[k].length);
    addProlonged(levels[k + 1], x, levels[k], next, channels);
    x = next;
    for (let cycle = 0; cycle < (k === 0 ? cycles : 1); cycle++) vCycle(levels, k, x, rhsOf[k], channels, sweeps);
  }
  // Unpadded.
  const out = new Float32Array(pixels * channels);
  for (let y = 0; y < height; y++) out.set(x.subarray(((y + 1) * stride + 1) * channels, ((y + 1) * stride + 1 + width) * channels), y * width * channels);
  return out;
}

/** How strongly a boundary pixel pins the membrane, against edges of stiffness 1: practically Dirichlet. */
const PIN = 1e3;

export interface PoissonBlendOptions {
  /**
   * Which boundary pixels constrain the result (0…255; default all): elsewhere the boundary is free
   * (Neumann), so a base that differs there for a reason of its own (hair across a forehead, a background)
   * does not bleed into the region.
   */
  trusted?: MaskPlane;
  sweeps?: MembraneOptions;
}

/**
 * Seamless cloning of `overlay` into `base` inside `region` (≥ 128 inside): the result keeps the overlay's
 * gradients there and meets the base on the region's (trusted) boundary; outside the region it is the base.
 * The overlay must be defined on the region and the one-pixel ring around it.
 */
export function poissonBlend(base: RgbImage, overlay: RgbImage, region: MaskPlane, options: PoissonBlendOptions = {}): RgbImage {
  const { width, height } = base;
  for (const [name, plane] of [
    ['overlay', overlay],
    ['region', region],
    ['trusted', options.trusted ?? region],
  ] as const) {
    if (plane.width !== width || plane.height !== height) {
      throw new FacexError('invalid_representation', `poissonBlend: ${name} is ${plane.width}×${plane.height}, the base ${width}×${height}`, { field: name });
    }
  }
  const out = base.data.slice();
  const inside = (i: number) => region.data[i] >= 128;
  const box = nonZeroBox(thresholded(region), 1);
  if (!box) return { data: out, width, height };
  const difference = boundaryCorrection(base, overlay, box, inside, options);
  const w = box.x1 - box.x0 + 1;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = y * width + x;
      if (!inside(i)) continue;
      const q = ((y - box.y0) * w + (x - box.x0)) * 3;
      for (let c = 0; c < 3; c++) {
        const v = overlay.data[3 * i + c] + difference[q + c];
        out[3 * i + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  }
  return { data: out, width, height };
}

function thresholded(mask: MaskPlane): MaskPlane {
  const data = new Uint8Array(mask.data.length);
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i] >= 128 ? 255 : 0;
  return { data, width: mask.width, height: mask.height };
}

/** D over the box: harmonic inside, base − overlay on the trusted boundary ring, free on the rest. */
function boundaryCorrection(base: RgbImage, overlay: RgbImage, box: PixelBox, inside: (i: number) => boolean, options: PoissonBlendOptions): Float32Array {
  const { width } = base;
  const w = box.x1 - box.x0 + 1,
    h = box.y1 - box.y0 + 1;
  const weight = new Float32Array(w * h),
    data = new Float32Array(w * h * 3),
    domain = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = box.x0 + x,
        gy = box.y0 + y,
        i = gy * width + gx,
        o = y * w + x;
      if (inside(i)) {
        domain[o] = 1;
        continue;
      }
      const touches =
        (gx > 0 && inside(i - 1)) || (gx + 1 < width && inside(i + 1)) || (gy > 0 && inside(i - width)) || (gy + 1 < base.height && inside(i + width));
      const trust = options.trusted ? options.trusted.data[i] / 255 : 1;
      if (!touches || trust === 0) continue;
      domain[o] = 1;
      weight[o] = PIN * trust;
      for (let c = 0; c < 3; c++) data[3 * o + c] = base.data[3 * i + c] - overlay.data[3 * i + c];
    }
  }
  return solveMembrane({ width: w, height: h, channels: 3, weight, data, domain }, options.sweeps);
}
