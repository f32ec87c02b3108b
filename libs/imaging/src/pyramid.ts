/**
 * Image pyramids on float planes: multi-band (Laplacian pyramid) blending, which joins two images along a
 * mask with a transition as wide as each band's wavelength (Burt & Adelson), and push-pull hole filling,
 * which fills unknown pixels with a smooth interpolation of the known ones. Reduction is a 2×2 mean with the
 * last row and column repeated for odd sizes; expansion is bilinear between coarse pixel centres, so each
 * level costs O(pixels) and the pyramid as a whole 4/3 of that.
 */
import { FacexError } from '@facex/contracts';
import { nonZeroBox, type PixelBox } from './pixel-box';
import { scratchFloat32 } from './scratch';
import type { MaskPlane, RgbImage } from './types';

/** An interleaved image of 8-bit or float values, `channels` values per pixel. */
export interface Plane {
  data: Uint8Array | Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** An interleaved float image. */
export interface FloatPlane extends Plane {
  data: Float32Array;
}

function reduce(src: Plane): FloatPlane {
  const { width: w, height: h, channels: ch, data } = src;
  const width = (w + 1) >> 1,
    height = (h + 1) >> 1;
  const out = new Float32Array(width * height * ch);
  for (let y = 0, o = 0; y < height; y++) {
    const r0 = 2 * y * w,
      r1 = Math.min(2 * y + 1, h - 1) * w;
    for (let x = 0; x < width; x++) {
      const c0 = 2 * x,
        c1 = Math.min(2 * x + 1, w - 1);
      const p00 = (r0 + c0) * ch,
        p10 = (r0 + c1) * ch,
        p01 = (r1 + c0) * ch,
        p11 = (r1 + c1) * ch;
      for (let c = 0; c < ch; c++, o++) out[o] = 0.25 * (data[p00 + c] + data[p10 + c] + data[p01 + c] + data[p11 + c]);
    }
  }
  return { data: out, width, height, channels: ch };
}

/** Per fine index along one axis: the two coarse taps and the weight of the second (fine i ↔ coarse (i − ½)/2). */
function expansionTaps(fine: number, coarse: number): { first: Int32Array; second: Int32Array; weight: Float32Array } {
  const first = new Int32Array(fine),
    second = new Int32Array(fine),
    weight = new Float32Array(fine);
  for (let i = 0; i < fine; i++) {
    const u = Math.min(Math.max((i - 0.5) / 2, 0), coarse - 1);
    first[i] = u | 0;
    second[i] = Math.min(first[i] + 1, coarse - 1);
    weight[i] = u - first[i];
  }
  return { first, second, weight };
}

/** Each coarse row interpolated to `width` (the horizontal half of a separable bilinear expansion). */
function expandRows(coarse: FloatPlane, width: number, out: Float32Array = new Float32Array(coarse.height * width * coarse.channels)): Float32Array {
  const { width: cw, height: ch, channels: n, data } = coarse;
  const cols = expansionTaps(width, cw);
  for (let r = 0, o = 0; r < ch; r++) {
    const row = r * cw * n;
    for (let x = 0; x < width; x++) {
      const p0 = row + cols.first[x] * n,
        p1 = row + cols.second[x] * n,
        fx = cols.weight[x];
      for (let c = 0; c < n; c++, o++) out[o] = data[p0 + c] + fx * (data[p1 + c] - data[p0 + c]);
    }
  }
  return out;
}

/**
 * `coarse` brought up to width × height, bilinear, separably (rows first, then between rows); with `where`,
 * only where it is non-zero (0 elsewhere).
 */
function expand(coarse: FloatPlane, width: number, height: number, where?: Uint8Array): Float32Array {
  const n = coarse.channels,
    stride = width * n;
  const rowsUp = expandRows(coarse, width);
  const out = new Float32Array(height * stride);
  const rows = expansionTaps(height, coarse.height);
  for (let y = 0; y < height; y++) {
    const r0 = rows.first[y] * stride,
      r1 = rows.second[y] * stride,
      fy = rows.weight[y],
      o = y * stride;
    if (!where) {
      for (let i = 0; i < stride; i++) out[o + i] = rowsUp[r0 + i] + fy * (rowsUp[r1 + i] - rowsUp[r0 + i]);
      continue;
    }
    for (let x = 0, m = y * width; x < width; x++, m++) {
      if (where[m] === 0) continue;
      for (let c = 0, i = x * n; c < n; c++, i++) out[o + i] = rowsUp[r0 + i] + fy * (rowsUp[r1 + i] - rowsUp[r0 + i]);
    }
  }
  return out;
}

/** `base` and `levels − 1` successive 2×2-mean reductions of it (8-bit bases reduce without a float copy). */
export function gaussianPyramid<P extends Plane>(base: P, levels: number): [P, ...FloatPlane[]] {
  const pyramid: [P, ...FloatPlane[]] = [base];
  for (let k = 1; k < levels; k++) pyramid.push(reduce(pyramid[k - 1]));
  return pyramid;
}

/**
 * A plane of level `from` of `pyramid` (or one of that size) expanded level by level up to level 0's size;
 * with `where` (level 0's size), the last step only where it is non-zero (0 elsewhere).
 */
export function expandThrough(plane: FloatPlane, pyramid: ReadonlyArray<{ width: number; height: number }>, from: number, where?: MaskPlane): FloatPlane {
  let out = plane;
  for (let k = from - 1; k >= 0; k--) {
    const { width, height } = pyramid[k];
    out = { data: expand(out, width, height, k === 0 ? where?.data : undefined), width, height, channels: plane.channels };
  }
  return out;
}

/**
 * The low frequencies of an interleaved float image: reduced `octaves` times and expanded back level by
 * level, i.e. everything finer than about 2^octaves pixels removed. O(pixels).
 */
export function lowPass(image: FloatPlane, octaves: number): FloatPlane {
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new FacexError('invalid_representation', `lowPass: ${image.data.length} values for ${image.width}×${image.height}×${image.channels}`, {
      field: 'data',
    });
  }
  const pyramid = gaussianPyramid(image, usableLevels(image.width, image.height, octaves + 1));
  return expandThrough(pyramid[pyramid.length - 1], pyramid, pyramid.length - 1);
}

function assertBlendInputs(base: RgbImage, overlay: RgbImage, alpha: MaskPlane): void {
  const { width, height } = base;
  if (overlay.width !== width || overlay.height !== height || alpha.width !== width || alpha.height !== height) {
    throw new FacexError(
      'invalid_representation',
      `blend: image ${width}×${height}, overlay ${overlay.width}×${overlay.height} and alpha ${alpha.width}×${alpha.height} must match`,
      { field: 'alpha' },
    );
  }
}

/** The number of levels that keeps the coarsest level at least 8 px on its shorter side (at most `wanted`). */
function usableLevels(width: number, height: number, wanted: number): number {
  let levels = 1;
  for (let side = Math.min(width, height); levels < wanted && side >= 16; side = (side + 1) >> 1) levels++;
  return levels;
}

/**
 * The pixels a multi-band blend of `levels` along `alpha` computes and reads: the non-zero alpha grown by the
 * coarsest band's reach. Beyond it the blend is the base, so an overlay needs no pixels there.
 */
export function multiBandBox(alpha: MaskPlane, levels: number): PixelBox | null {
  return nonZeroBox(alpha, 2 << usableLevels(alpha.width, alpha.height, levels));
}

/** The box's pixels of an interleaved plane with `channels` values per pixel, as floats. */
function boxPlane(data: Uint8Array, width: number, channels: number, box: PixelBox, scale: number, slot: string): FloatPlane {
  const w = box.x1 - box.x0 + 1,
    h = box.y1 - box.y0 + 1;
  const out = scratchFloat32(slot, w * h * channels);
  for (let y = 0, o = 0; y < h; y++) {
    const p = ((box.y0 + y) * width + box.x0) * channels;
    for (let i = 0; i < w * channels; i++, o++) out[o] = data[p + i] * scale;
  }
  return { data: out, width: w, height: h, channels };
}

/**
 * Multi-band blend: alpha·overlay + (1 − alpha)·base done per band of a Laplacian pyramid, with alpha
 * (0…255) reduced alongside, so low frequencies (lighting, skin tone) mix over a wide seam and fine detail
 * over a narrow one. Only the box around the non-zero alpha, grown by the coarsest band's reach, is
 * computed: beyond it every band of the blend is the base's, so the base is returned there unchanged.
 * `core` (0…255, inside alpha) is where the overlay must replace the base outright: the coarse bands spread
 * the base's low frequencies (its own features and shading) far inside alpha, so the blend is mixed with
 * the overlay by `core` at the end, leaving the multi-band transition to the band between core and seam.
 */
export function blendMultiBand(base: RgbImage, overlay: RgbImage, alpha: MaskPlane, levels = 5, core?: MaskPlane): RgbImage {
  assertBlendInputs(base, overlay, alpha);
  if (core) assertBlendInputs(base, overlay, core);
  const { width, height } = base;
  const n = usableLevels(width, height, levels);
  const out = base.data.slice();
  const box = multiBandBox(alpha, levels);
  if (!box) return { data: out, width, height };
  // The Laplacian pyramid is linear and collapses exactly, so blending the bands of base and overlay equals
  // base + collapse(alpha_k · band_k(overlay − base)): one colour pyramid instead of two.
  // The full-resolution temporaries live in scratch memory (see scratch.ts); the coarser levels are small.
  const difference = differencePlane(overlay.data, base.data, width, box);
  const gd = gaussianPyramid(difference, n);
  const gm = gaussianPyramid(boxPlane(alpha.data, width, 1, box, 1 / 255, 'blend.alpha'), n);
  // The core (0…1) over the box; where it is 1 the overlay replaces everything, so the finest level skips it.
  const whole = core ? boxPlane(core.data, width, 1, box, 1 / 255, 'blend.core').data : undefined;
  let result: Float32Array = multiply(gd[n - 1].data, gm[n - 1].data);
  for (let k = n - 2; k >= 0; k--) result = collapseBlendLevel(gd[k + 1], result, gd[k], gm[k].data, k === 0, k === 0 ? whole : undefined);
  const { width: w, height: h } = difference;
  const top = overlay.data,
    bottom = base.data;
  for (let y = 0, q = 0, m = 0; y < h; y++) {
    for (let x = 0, p = ((box.y0 + y) * width + box.x0) * 3; x < w; x++, m++) {
      const k = whole ? whole[m] : 0;
      if (k === 1) {
        out[p] = top[p];
        out[p + 1] = top[p + 1];
        out[p + 2] = top[p + 2];
        p += 3;
        q += 3;
        continue;
      }
      for (let c = 0; c < 3; c++, p++, q++) {
        const v = bottom[p] + result[q];
        const mixed = v + k * (top[p] - v);
        out[p] = mixed <= 0 ? 0 : mixed >= 255 ? 255 : mixed + 0.5;
      }
    }
  }
  return { data: out, width, height };
}

/** overlay − base over the box, as floats (3 channels). */
function differencePlane(overlay: Uint8Array, base: Uint8Array, width: number, box: PixelBox): FloatPlane {
  const w = box.x1 - box.x0 + 1,
    h = box.y1 - box.y0 + 1;
  const out = scratchFloat32('blend.difference', w * h * 3);
  for (let y = 0, o = 0; y < h; y++) {
    const p = ((box.y0 + y) * width + box.x0) * 3;
    for (let i = 0; i < w * 3; i++, o++) out[o] = overlay[p + i] - base[p + i];
  }
  return { data: out, width: w, height: h, channels: 3 };
}

/** The coarsest band's blend: alpha times the (3-channel) Gaussian level itself. */
function multiply(colour: Float32Array, alpha: Float32Array): Float32Array {
  const out = new Float32Array(colour.length);
  for (let i = 0, p = 0; i < alpha.length; i++) for (let c = 0; c < 3; c++, p++) out[p] = alpha[i] * colour[p];
  return out;
}

/**
 * One level of the collapse: alpha_k · (G_k − expand(G_{k+1})) + expand(result_{k+1}), both expansions
 * separable as in expand and fused into one pass over the fine rows. Pixels where `skip` is 1 are set to 0.
 * The finest level works in scratch memory.
 */
function collapseBlendLevel(
  coarse: FloatPlane,
  coarseResult: Float32Array,
  fine: FloatPlane,
  alpha: Float32Array,
  finest: boolean,
  skip?: Float32Array,
): Float32Array {
  const { width, height, data: gf } = fine,
    stride = width * 3;
  const rowsLength = coarse.height * stride;
  const gRows = expandRows(coarse, width, finest ? scratchFloat32('blend.rows.g', rowsLength) : undefined);
  const rRows = expandRows({ ...coarse, data: coarseResult }, width, finest ? scratchFloat32('blend.rows.r', rowsLength) : undefined);
  const out = finest ? scratchFloat32('blend.result', height * stride) : new Float32Array(height * stride);
  const rows = expansionTaps(height, coarse.height);
  for (let y = 0, i = 0; y < height; y++) {
    const r0 = rows.first[y] * stride,
      r1 = rows.second[y] * stride,
      fy = rows.weight[y];
    for (let x = 0, o = y * stride; x < width; x++, i++, o += 3) {
      if (skip && skip[i] === 1) {
        out[o] = out[o + 1] = out[o + 2] = 0;
        continue;
      }
      const a = alpha[i];
      for (let c = 0; c < 3; c++) {
        const t = r0 + x * 3 + c,
          b = r1 + x * 3 + c;
        const g = gRows[t] + fy * (gRows[b] - gRows[t]),
          r = rRows[t] + fy * (rRows[b] - rRows[t]);
        out[o + c] = a * (gf[o + c] - g) + r;
      }
    }
  }
  return out;
}

/**
 * Push-pull hole filling: pixels where `known` is 0 get a smooth interpolation of the known pixels around
 * them (known pixels are averaged down a pyramid, then the coarse estimate is pushed back up into the gaps);
 * pixels with `known` = 255 keep their value, partly known ones are mixed by it. Throws when nothing is known.
 */
export function fillHoles(image: RgbImage, known: MaskPlane): RgbImage {
  const { width, height } = image;
  if (known.width !== width || known.height !== height) {
    throw new FacexError('invalid_representation', `known: ${known.width}×${known.height} does not match the ${width}×${height} image`, { field: 'known' });
  }
  // Level 0 holds premultiplied colour and the weight in a fourth channel, in scratch memory (see scratch.ts).
  const base = scratchFloat32('fill.base', width * height * 4);
  const unknown = new Uint8Array(width * height);
  let anyKnown = false;
  for (let i = 0; i < known.data.length; i++) {
    const w = known.data[i] / 255;
    if (w > 0) anyKnown = true;
    if (w < 1) unknown[i] = 1;
    base[4 * i] = image.data[3 * i] * w;
    base[4 * i + 1] = image.data[3 * i + 1] * w;
    base[4 * i + 2] = image.data[3 * i + 2] * w;
    base[4 * i + 3] = w;
  }
  if (!anyKnown) throw new FacexError('invalid_representation', 'known: no pixel is known, nothing to fill from', { field: 'known' });
  const pull: FloatPlane[] = [{ data: base, width, height, channels: 4 }];
  while (pull[pull.length - 1].width > 1 || pull[pull.length - 1].height > 1) pull.push(reduce(pull[pull.length - 1]));
  // Push: each level's colour is its own (normalised) where it has weight, the coarser estimate elsewhere.
  let estimate: FloatPlane | undefined;
  for (let k = pull.length - 1; k >= 1; k--) {
    const level = pull[k];
    const up = estimate ? expand(estimate, level.width, level.height) : undefined;
    const out = new Float32Array(level.width * level.height * 3);
    for (let i = 0; i < level.width * level.height; i++) {
      const w = level.data[4 * i + 3];
      const own = up ? Math.min(1, w) : 1; // the coarsest level has nothing coarser to lean on
      for (let c = 0; c < 3; c++) {
        const mine = w > 0 ? level.data[4 * i + c] / w : 0;
        out[3 * i + c] = own * mine + (1 - own) * (up ? up[3 * i + c] : 0);
      }
    }
    estimate = { data: out, width: level.width, height: level.height, channels: 3 };
  }
  // Level 0 straight into bytes: known pixels keep their colour, only the others need the coarser estimate.
  const filled = image.data.slice();
  if (!estimate) return { data: filled, width, height }; // a single pixel, and it is known
  const up = expand(estimate, width, height, unknown);
  for (let i = 0; i < unknown.length; i++) {
    if (unknown[i] === 0) continue;
    const w = base[4 * i + 3];
    for (let c = 0; c < 3; c++) {
      const v = base[4 * i + c] + (1 - w) * up[3 * i + c];
      filled[3 * i + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
    }
  }
  return { data: filled, width, height };
}
