/** Resampling through a SourceMap: bilinear, the source's edge pixels repeated beyond it, 0 where undefined. */
import type { MaskPlane, RgbImage } from '@facex/imaging';
import type { SourceMap } from './source-map';

/** The source image seen through the map (an output-crop-sized image). */
export function sampleRgb(image: RgbImage, map: SourceMap): RgbImage {
  const { width: sw, height: sh, data } = image;
  const out = new Uint8Array(map.width * map.height * 3);
  const { coords, defined } = map;
  const maxX = sw - 1.001, maxY = sh - 1.001, row = sw * 3;
  for (let o = 0; o < defined.length; o++) {
    if (!defined[o]) continue;
    let x = coords[2 * o], y = coords[2 * o + 1];
    x = x < 0 ? 0 : x > maxX ? maxX : x;
    y = y < 0 ? 0 : y > maxY ? maxY : y;
    const x0 = x | 0, y0 = y | 0, fx = x - x0, fy = y - y0;
    const p = y0 * row + x0 * 3, q = p + row;
    const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
    const t = 3 * o;
    out[t] = w00 * data[p] + w10 * data[p + 3] + w01 * data[q] + w11 * data[q + 3] + 0.5;
    out[t + 1] = w00 * data[p + 1] + w10 * data[p + 4] + w01 * data[q + 1] + w11 * data[q + 4] + 0.5;
    out[t + 2] = w00 * data[p + 2] + w10 * data[p + 5] + w01 * data[q + 2] + w11 * data[q + 5] + 0.5;
  }
  return { data: out, width: map.width, height: map.height };
}

/**
 * A mask of the source seen through the map; `scale` takes source-crop coordinates to the mask's (½ for the
 * representation's 256 px masks under a 512 px crop, with the contract's pixel (u, v) ↔ (2u, 2v)).
 */
export function sampleMask(mask: MaskPlane, map: SourceMap, scale = 1): MaskPlane {
  const { width: mw, height: mh, data } = mask;
  const out = new Uint8Array(map.width * map.height);
  const { coords, defined } = map;
  const maxX = mw - 1.001, maxY = mh - 1.001;
  for (let o = 0; o < defined.length; o++) {
    if (!defined[o]) continue;
    let x = coords[2 * o] * scale, y = coords[2 * o + 1] * scale;
    x = x < 0 ? 0 : x > maxX ? maxX : x;
    y = y < 0 ? 0 : y > maxY ? maxY : y;
    const x0 = x | 0, y0 = y | 0, fx = x - x0, fy = y - y0, p = y0 * mw + x0;
    const top = data[p] + fx * (data[p + 1] - data[p]), bottom = data[p + mw] + fx * (data[p + mw + 1] - data[p + mw]);
    out[o] = top + fy * (bottom - top) + 0.5;
  }
  return { data: out, width: map.width, height: map.height };
}

/** 255 where the map defines a source point. */
export function definedMask(map: SourceMap): MaskPlane {
  const out = new Uint8Array(map.defined.length);
  for (let i = 0; i < out.length; i++) out[i] = map.defined[i] ? 255 : 0;
  return { data: out, width: map.width, height: map.height };
}
