/**
 * Bilinear warps by inverse mapping: every output pixel is mapped back through the inverse of `forward`
 * (source → output) and sampled; off the source reads 0, blended smoothly at the edge.
 * The row walk is incremental (one add per pixel) and the channel loops are unrolled: this runs on every
 * input of every edit.
 */
import { FacexError, type Affine2D } from '@facex/contracts';
import { invertAffine } from './affine';
import { nonZeroRows } from './mask-logic';
import type { MaskPlane, RgbImage } from './types';

function warpPlane(src: Uint8Array, sw: number, sh: number, forward: Affine2D, width: number, height: number): Uint8Array {
  const [a, b, c, d, e, f] = invertAffine(forward);
  const out = new Uint8Array(width * height);
  // A sample whose taps all lie on all-zero rows is 0: only samples between these bounds are computed.
  const { first, last } = nonZeroRows({ data: src, width: sw, height: sh });
  const above = first - 1,
    below = last + 1;
  if (last < first) return out;
  for (let y = 0, o = 0; y < height; y++) {
    let sx = b * y + c,
      sy = e * y + f;
    for (let x = 0; x < width; x++, sx += a, sy += d, o++) {
      if (sx <= -1 || sy <= above || sx >= sw || sy >= below) continue;
      const px = sx,
        py = sy;
      const x0 = px < 0 ? -1 : px | 0,
        y0 = py < 0 ? -1 : py | 0; // floor, cheaper than Math.floor
      const fx = px - x0,
        fy = py - y0;
      const p = y0 * sw + x0;
      const inX = x0 >= 0,
        inX1 = x0 + 1 < sw,
        inY = y0 >= 0,
        inY1 = y0 + 1 < sh;
      const v00 = inX && inY ? src[p] : 0,
        v10 = inX1 && inY ? src[p + 1] : 0;
      const v01 = inX && inY1 ? src[p + sw] : 0,
        v11 = inX1 && inY1 ? src[p + sw + 1] : 0;
      if ((v00 | v10 | v01 | v11) === 0) continue;
      const top = v00 + fx * (v10 - v00),
        bottom = v01 + fx * (v11 - v01);
      out[o] = (top + fy * (bottom - top) + 0.5) | 0;
    }
  }
  return out;
}

function warpInterleavedRgb(src: Uint8Array, sw: number, sh: number, forward: Affine2D, width: number, height: number, where?: Uint8Array): Uint8Array {
  const [a, b, c, d, e, f] = invertAffine(forward);
  const out = new Uint8Array(width * height * 3);
  const row = sw * 3;
  // With `where`, only its non-zero rows are sampled.
  const rows = where ? nonZeroRows({ data: where, width, height }) : { first: 0, last: height - 1 };
  for (let y = rows.first, o = 3 * y * width; y <= rows.last; y++) {
    let sx = b * y + c,
      sy = e * y + f;
    for (let x = 0; x < width; x++, sx += a, sy += d, o += 3) {
      if (sx <= -1 || sy <= -1 || sx >= sw || sy >= sh) continue;
      if (where !== undefined && where[y * width + x] === 0) continue;
      const px = sx,
        py = sy;
      const x0 = px < 0 ? -1 : px | 0,
        y0 = py < 0 ? -1 : py | 0; // floor, cheaper than Math.floor
      const fx = px - x0,
        fy = py - y0;
      const w00 = (1 - fx) * (1 - fy),
        w10 = fx * (1 - fy),
        w01 = (1 - fx) * fy,
        w11 = fx * fy;
      const p = y0 * row + x0 * 3;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        // Fixed point (weights in 1/65536) keeps the three channels in integer arithmetic.
        const i00 = (w00 * 65536) | 0,
          i10 = (w10 * 65536) | 0,
          i01 = (w01 * 65536) | 0,
          i11 = 65536 - i00 - i10 - i01;
        const q = p + row;
        out[o] = (i00 * src[p] + i10 * src[p + 3] + i01 * src[q] + i11 * src[q + 3] + 32768) >>> 16;
        out[o + 1] = (i00 * src[p + 1] + i10 * src[p + 4] + i01 * src[q + 1] + i11 * src[q + 4] + 32768) >>> 16;
        out[o + 2] = (i00 * src[p + 2] + i10 * src[p + 5] + i01 * src[q + 2] + i11 * src[q + 5] + 32768) >>> 16;
      } else {
        // At the edge: taps off the source contribute 0.
        const k00 = x0 >= 0 && y0 >= 0 ? w00 : 0,
          k10 = x0 + 1 < sw && y0 >= 0 ? w10 : 0;
        const k01 = x0 >= 0 && y0 + 1 < sh ? w01 : 0,
          k11 = x0 + 1 < sw && y0 + 1 < sh ? w11 : 0;
        for (let ch = 0; ch < 3; ch++) {
          const q = p + ch;
          out[o + ch] = (k00 ? k00 * src[q] : 0) + (k10 ? k10 * src[q + 3] : 0) + (k01 ? k01 * src[q + row] : 0) + (k11 ? k11 * src[q + row + 3] : 0) + 0.5;
        }
      }
    }
  }
  return out;
}

/**
 * `image` warped into a width × height frame by `forward` (image coordinates → frame coordinates). With
 * `where` (a width × height plane), only the pixels where it is non-zero are sampled; the rest stay 0.
 */
export function warpRgb(image: RgbImage, forward: Affine2D, width: number, height: number, where?: MaskPlane): RgbImage {
  if (where && (where.width !== width || where.height !== height)) {
    throw new FacexError('invalid_representation', `where: ${where.width}×${where.height} does not match the ${width}×${height} output`, { field: 'where' });
  }
  return { data: warpInterleavedRgb(image.data, image.width, image.height, forward, width, height, where?.data), width, height };
}

/** `mask` warped into a width × height frame by `forward` (mask coordinates → frame coordinates). */
export function warpMask(mask: MaskPlane, forward: Affine2D, width: number, height: number): MaskPlane {
  return { data: warpPlane(mask.data, mask.width, mask.height, forward, width, height), width, height };
}

/**
 * A plane at twice the size, bilinear, with mask pixel (u, v) at (2u, 2v) (the contract's 256 → 512 crop
 * convention) and the last row and column repeated. Exact halves make it a few integer adds per pixel.
 */
export function upsampleMask2x(mask: MaskPlane): MaskPlane {
  const { width: w, height: h, data } = mask;
  const ow = 2 * w,
    out = new Uint8Array(ow * 2 * h);
  // Output rows between two all-zero rows are 0: only the rows from just above the first non-zero one.
  const { first, last } = nonZeroRows(mask);
  for (let v = Math.max(0, first - 1); v <= last; v++) {
    const r0 = v * w,
      r1 = (v + 1 < h ? v + 1 : v) * w;
    const even = 2 * v * ow,
      odd = even + ow;
    for (let u = 0; u < w; u++) {
      const u1 = u + 1 < w ? u + 1 : u;
      const p00 = data[r0 + u],
        p10 = data[r0 + u1],
        p01 = data[r1 + u],
        p11 = data[r1 + u1];
      out[even + 2 * u] = p00;
      out[even + 2 * u + 1] = (p00 + p10 + 1) >> 1;
      out[odd + 2 * u] = (p00 + p01 + 1) >> 1;
      out[odd + 2 * u + 1] = (p00 + p10 + p01 + p11 + 2) >> 2;
    }
  }
  return { data: out, width: ow, height: 2 * h };
}

/**
 * binarizeMask(upsampleMask2x(mask), threshold) in one pass, without the intermediate plane: 255 where the
 * bilinear upsample reaches `threshold`, else 0.
 */
export function upsampleMaskBinary2x(mask: MaskPlane, threshold = 128): MaskPlane {
  const { width: w, height: h, data } = mask;
  const ow = 2 * w,
    out = new Uint8Array(ow * 2 * h);
  const on = (value: number) => (value >= threshold ? 255 : 0);
  const skipZeros = threshold > 0;
  const { first, last } = skipZeros ? nonZeroRows(mask) : { first: 0, last: h - 1 };
  for (let v = Math.max(0, first - 1); v <= last; v++) {
    const r0 = v * w,
      r1 = (v + 1 < h ? v + 1 : v) * w;
    const even = 2 * v * ow,
      odd = even + ow;
    for (let u = 0; u < w; u++) {
      const u1 = u + 1 < w ? u + 1 : u;
      const p00 = data[r0 + u],
        p10 = data[r0 + u1],
        p01 = data[r1 + u],
        p11 = data[r1 + u1];
      if (skipZeros && (p00 | p10 | p01 | p11) === 0) continue; // all four samples are 0, below the threshold
      if (p00 === p10 && p00 === p01 && p00 === p11) {
        // a flat block (most of a binary mask): one test
        const value = on(p00);
        out[even + 2 * u] = out[even + 2 * u + 1] = out[odd + 2 * u] = out[odd + 2 * u + 1] = value;
        continue;
      }
      out[even + 2 * u] = on(p00);
      out[even + 2 * u + 1] = on((p00 + p10 + 1) >> 1);
      out[odd + 2 * u] = on((p00 + p01 + 1) >> 1);
      out[odd + 2 * u + 1] = on((p00 + p10 + p01 + p11 + 2) >> 2);
    }
  }
  return { data: out, width: ow, height: 2 * h };
}

/** An image at half the size, each pixel the rounded mean of a 2×2 block (the 512 → 256 crop). */
export function downsampleRgb2x(image: RgbImage): RgbImage {
  const width = image.width >> 1,
    height = image.height >> 1,
    src = image.data,
    row = image.width * 3;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0, p = 2 * y * row; x < width; x++, p += 6, o += 3) {
      out[o] = (src[p] + src[p + 3] + src[p + row] + src[p + row + 3] + 2) >> 2;
      out[o + 1] = (src[p + 1] + src[p + 4] + src[p + row + 1] + src[p + row + 4] + 2) >> 2;
      out[o + 2] = (src[p + 2] + src[p + 5] + src[p + row + 2] + src[p + row + 5] + 2) >> 2;
    }
  }
  return { data: out, width, height };
}
