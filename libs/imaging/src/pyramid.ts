/**
 * Image pyramids on float planes: multi-band (Laplacian pyramid) blending, which joins two images along a
 * mask with a transition as wide as each band's wavelength (Burt & Adelson), and push-pull hole filling,
 * which fills unknown pixels with a smooth interpolation of the known ones. Reduction is a 2×2 mean with the
 * last row and column repeated for odd sizes; expansion is bilinear between coarse pixel centres, so each
 * level costs O(pixels) and the pyramid as a whole 4/3 of that.
 */
import { FacexError } from '@facex/contracts';
import type { MaskPlane, RgbImage } from './types';

/** An interleaved float image, `channels` values per pixel. */
export interface FloatPlane {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

function reduce(src: FloatPlane): FloatPlane {
  const { width: w, height: h, channels: ch, data } = src;
  const width = (w + 1) >> 1, height = (h + 1) >> 1;
  const out = new Float32Array(width * height * ch);
  for (let y = 0, o = 0; y < height; y++) {
    const r0 = 2 * y * w, r1 = Math.min(2 * y + 1, h - 1) * w;
    for (let x = 0; x < width; x++) {
      const c0 = 2 * x, c1 = Math.min(2 * x + 1, w - 1);
      const p00 = (r0 + c0) * ch, p10 = (r0 + c1) * ch, p01 = (r1 + c0) * ch, p11 = (r1 + c1) * ch;
      for (let c = 0; c < ch; c++, o++) out[o] = 0.25 * (data[p00 + c] + data[p10 + c] + data[p01 + c] + data[p11 + c]);
    }
  }
  return { data: out, width, height, channels: ch };
}

/** Per fine index along one axis: the two coarse taps and the weight of the second (fine i ↔ coarse (i − ½)/2). */
function expansionTaps(fine: number, coarse: number): { first: Int32Array; second: Int32Array; weight: Float32Array } {
  const first = new Int32Array(fine), second = new Int32Array(fine), weight = new Float32Array(fine);
  for (let i = 0; i < fine; i++) {
    const u = Math.min(Math.max((i - 0.5) / 2, 0), coarse - 1);
    first[i] = u | 0;
    second[i] = Math.min(first[i] + 1, coarse - 1);
    weight[i] = u - first[i];
  }
  return { first, second, weight };
}

/** `coarse` brought up to width × height, bilinear. */
function expand(coarse: FloatPlane, width: number, height: number): Float32Array {
  const { width: cw, height: ch, channels: n, data } = coarse;
  const out = new Float32Array(width * height * n);
  const cols = expansionTaps(width, cw), rows = expansionTaps(height, ch);
  for (let y = 0, o = 0; y < height; y++) {
    const r0 = rows.first[y] * cw, r1 = rows.second[y] * cw, fy = rows.weight[y];
    for (let x = 0; x < width; x++) {
      const fx = cols.weight[x];
      const p00 = (r0 + cols.first[x]) * n, p10 = (r0 + cols.second[x]) * n, p01 = (r1 + cols.first[x]) * n, p11 = (r1 + cols.second[x]) * n;
      for (let c = 0; c < n; c++, o++) {
        const top = data[p00 + c] + fx * (data[p10 + c] - data[p00 + c]);
        const bottom = data[p01 + c] + fx * (data[p11 + c] - data[p01 + c]);
        out[o] = top + fy * (bottom - top);
      }
    }
  }
  return out;
}

/** `base` and `levels − 1` successive 2×2-mean reductions of it. */
export function gaussianPyramid(base: FloatPlane, levels: number): FloatPlane[] {
  const pyramid = [base];
  for (let k = 1; k < levels; k++) pyramid.push(reduce(pyramid[k - 1]));
  return pyramid;
}

/** A plane of level `from` of `pyramid` (or one of that size) expanded level by level up to level 0's size. */
export function expandThrough(plane: FloatPlane, pyramid: readonly FloatPlane[], from: number): FloatPlane {
  let out = plane;
  for (let k = from - 1; k >= 0; k--) {
    const { width, height } = pyramid[k];
    out = { data: expand(out, width, height), width, height, channels: plane.channels };
  }
  return out;
}

/**
 * The low frequencies of an interleaved float image: reduced `octaves` times and expanded back level by
 * level, i.e. everything finer than about 2^octaves pixels removed. O(pixels).
 */
export function lowPass(image: FloatPlane, octaves: number): FloatPlane {
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new FacexError('invalid_representation', `lowPass: ${image.data.length} values for ${image.width}×${image.height}×${image.channels}`, { field: 'data' });
  }
  const pyramid = gaussianPyramid(image, usableLevels(image.width, image.height, octaves + 1));
  return expandThrough(pyramid[pyramid.length - 1], pyramid, pyramid.length - 1);
}

function toRgb(plane: FloatPlane): RgbImage {
  const out = new Uint8Array(plane.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = plane.data[i];
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
  }
  return { data: out, width: plane.width, height: plane.height };
}

function assertBlendInputs(base: RgbImage, overlay: RgbImage, alpha: MaskPlane): void {
  const { width, height } = base;
  if (overlay.width !== width || overlay.height !== height || alpha.width !== width || alpha.height !== height) {
    throw new FacexError('invalid_representation', `blend: image ${width}×${height}, overlay ${overlay.width}×${overlay.height} and alpha ${alpha.width}×${alpha.height} must match`, { field: 'alpha' });
  }
}

/** The number of levels that keeps the coarsest level at least 8 px on its shorter side (at most `wanted`). */
function usableLevels(width: number, height: number, wanted: number): number {
  let levels = 1;
  for (let side = Math.min(width, height); levels < wanted && side >= 16; side = (side + 1) >> 1) levels++;
  return levels;
}

/** The smallest box holding every non-zero alpha pixel, grown by `margin` and clipped; null when alpha is all 0. */
export function nonZeroBox(alpha: MaskPlane, margin: number): { x0: number; y0: number; x1: number; y1: number } | null {
  const { width, height, data } = alpha;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(width - 1, x1 + margin), y1: Math.min(height - 1, y1 + margin) };
}

/** The box's pixels of an interleaved plane with `channels` values per pixel, as floats. */
function boxPlane(data: Uint8Array, width: number, channels: number, box: { x0: number; y0: number; x1: number; y1: number }, scale = 1): FloatPlane {
  const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
  const out = new Float32Array(w * h * channels);
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
  const box = nonZeroBox(alpha, 2 << n);
  if (!box) return { data: out, width, height };
  const ga = gaussianPyramid(boxPlane(base.data, width, 3, box), n);
  const gb = gaussianPyramid(boxPlane(overlay.data, width, 3, box), n);
  const gm = gaussianPyramid(boxPlane(alpha.data, width, 1, box, 1 / 255), n);
  // Collapse from the top: result_k = blend(Laplacian_k of both) + expand(result_{k+1}).
  let result: FloatPlane | undefined;
  for (let k = n - 1; k >= 0; k--) {
    const a = ga[k], b = gb[k], m = gm[k].data;
    const upA = k + 1 < n ? expand(ga[k + 1], a.width, a.height) : undefined;
    const upB = k + 1 < n ? expand(gb[k + 1], a.width, a.height) : undefined;
    const upR = result ? expand(result, a.width, a.height) : undefined;
    const blended = new Float32Array(a.data.length);
    for (let i = 0, p = 0; i < m.length; i++) {
      const w = m[i];
      for (let c = 0; c < 3; c++, p++) {
        const la = upA ? a.data[p] - upA[p] : a.data[p];
        const lb = upB ? b.data[p] - upB[p] : b.data[p];
        blended[p] = la + w * (lb - la) + (upR ? upR[p] : 0);
      }
    }
    result = { data: blended, width: a.width, height: a.height, channels: 3 };
  }
  const { data: values, width: w, height: h } = result as FloatPlane;
  const keep = core?.data, top = overlay.data;
  for (let y = 0, q = 0; y < h; y++) {
    for (let i = 0, p = ((box.y0 + y) * width + box.x0) * 3; i < w * 3; i++, p++, q++) {
      const k = keep ? keep[(p / 3) | 0] / 255 : 0;
      const v = values[q] + k * (top[p] - values[q]);
      out[p] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
    }
  }
  return { data: out, width, height };
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
  // Level 0 holds premultiplied colour and the weight in a fourth channel.
  const base = new Float32Array(width * height * 4);
  let anyKnown = false;
  for (let i = 0; i < known.data.length; i++) {
    const w = known.data[i] / 255;
    if (w > 0) anyKnown = true;
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
  for (let k = pull.length - 1; k >= 0; k--) {
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
  return toRgb(estimate as FloatPlane);
}
