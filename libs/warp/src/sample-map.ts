/** Resampling through a SourceMap: bilinear, the source's edge pixels repeated beyond it, 0 where undefined. */
import type { Affine2D } from '@facex/contracts';
import type { MaskPlane, PixelBox, RgbImage } from '@facex/imaging';
import type { SourceMap } from './source-map';

const IDENTITY: Affine2D = [1, 0, 0, 0, 1, 0];

/**
 * The source image seen through the map (an output-crop-sized image). `toImage` takes the map's source
 * coordinates to the image's when the image is not the map's source crop itself (e.g. the full photo).
 * With `box`, only the output pixels inside it are sampled (the rest stay 0).
 */
export function sampleRgb(image: RgbImage, map: SourceMap, toImage: Affine2D = IDENTITY, box?: PixelBox): RgbImage {
  const { width: sw, height: sh, data } = image;
  const out = new Uint8Array(map.width * map.height * 3);
  const { coords, defined } = map;
  const maxX = sw - 1.001,
    maxY = sh - 1.001,
    row = sw * 3;
  const [a, b, c, d, e, f] = toImage;
  const { x0: left, y0: top, x1: right, y1: bottom } = box ?? { x0: 0, y0: 0, x1: map.width - 1, y1: map.height - 1 };
  for (let oy = top; oy <= bottom; oy++) {
    for (let o = oy * map.width + left, end = oy * map.width + right; o <= end; o++) {
      if (!defined[o]) continue;
      const u = coords[2 * o],
        v = coords[2 * o + 1];
      let x = a * u + b * v + c,
        y = d * u + e * v + f;
      x = x < 0 ? 0 : x > maxX ? maxX : x;
      y = y < 0 ? 0 : y > maxY ? maxY : y;
      const x0 = x | 0,
        y0 = y | 0;
      // Fixed-point weights (1/256 per axis) keep the three channels in integer arithmetic.
      const fx = ((x - x0) * 256) | 0,
        fy = ((y - y0) * 256) | 0;
      const w00 = (256 - fx) * (256 - fy),
        w10 = fx * (256 - fy),
        w01 = (256 - fx) * fy,
        w11 = fx * fy;
      const p = y0 * row + x0 * 3,
        q = p + row;
      const t = 3 * o;
      out[t] = (w00 * data[p] + w10 * data[p + 3] + w01 * data[q] + w11 * data[q + 3] + 32768) >>> 16;
      out[t + 1] = (w00 * data[p + 1] + w10 * data[p + 4] + w01 * data[q + 1] + w11 * data[q + 4] + 32768) >>> 16;
      out[t + 2] = (w00 * data[p + 2] + w10 * data[p + 5] + w01 * data[q + 2] + w11 * data[q + 5] + 32768) >>> 16;
    }
  }
  return { data: out, width: map.width, height: map.height };
}

/**
 * A 256 px region mask of the source seen through the map, on the output's 256 px mask plane: output mask
 * pixel (u, v) is the map's crop pixel (2u, 2v), and the map's source crop coordinates halve into the
 * source's mask (the contract's crop (2u, 2v) ↔ mask (u, v)).
 */
export function sampleMaskOnMaskPlane(mask: MaskPlane, map: SourceMap): MaskPlane {
  const { width: mw, height: mh, data } = mask;
  const width = map.width >> 1,
    height = map.height >> 1;
  const out = new Uint8Array(width * height);
  const { coords, defined } = map;
  const maxX = mw - 1.001,
    maxY = mh - 1.001;
  for (let v = 0, o = 0; v < height; v++) {
    for (let u = 0, m = 2 * v * map.width; u < width; u++, o++, m += 2) {
      if (!defined[m]) continue;
      let x = coords[2 * m] / 2,
        y = coords[2 * m + 1] / 2;
      x = x < 0 ? 0 : x > maxX ? maxX : x;
      y = y < 0 ? 0 : y > maxY ? maxY : y;
      const x0 = x | 0,
        y0 = y | 0,
        fx = x - x0,
        fy = y - y0,
        p = y0 * mw + x0;
      const top = data[p] + fx * (data[p + 1] - data[p]),
        bottom = data[p + mw] + fx * (data[p + mw + 1] - data[p + mw]);
      out[o] = top + fy * (bottom - top) + 0.5;
    }
  }
  return { data: out, width, height };
}

/** Bilinear sample of `image` at (x, y), edge pixels repeated beyond it, into `into`. */
export function bilinear(image: RgbImage, x: number, y: number, into: Float64Array): void {
  const { width, height, data } = image;
  const cx = Math.min(Math.max(x, 0), width - 1.001),
    cy = Math.min(Math.max(y, 0), height - 1.001);
  const ix = cx | 0,
    iy = cy | 0,
    fx = cx - ix,
    fy = cy - iy;
  const p = 3 * (iy * width + ix),
    q = p + 3 * width;
  for (let k = 0; k < 3; k++) {
    const top = data[p + k] + fx * (data[p + 3 + k] - data[p + k]);
    const bottom = data[q + k] + fx * (data[q + 3 + k] - data[q + k]);
    into[k] = top + fy * (bottom - top);
  }
}
