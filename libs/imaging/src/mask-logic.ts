/** Pixel-wise set operations on soft masks: union = max, intersection = min, a − b = min(a, 255 − b). */
import { assertSameSize, type MaskPlane } from './types';

function output(a: MaskPlane, b: MaskPlane): MaskPlane {
  assertSameSize(a, b, 'mask');
  return { data: new Uint8Array(a.data.length), width: a.width, height: a.height };
}

// The loops are written out rather than sharing a callback: these run over every plane of every edit.
export function unionMasks(a: MaskPlane, b: MaskPlane): MaskPlane {
  const out = output(a, b),
    x = a.data,
    y = b.data,
    o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = x[i] > y[i] ? x[i] : y[i];
  return out;
}

/**
 * The first and last rows holding a non-zero value (last < first when the plane is all 0). A plain scan,
 * cheaper than the work it lets a caller skip on the many all-zero rows of a small region's plane.
 */
export function nonZeroRows(mask: MaskPlane): { first: number; last: number } {
  const { data, width } = mask;
  // The non-zero bytes lie in [start, end); narrowed a word (four bytes) at a time where the buffer allows.
  let start = 0,
    end = data.length;
  if ((data.byteOffset & 3) === 0) {
    const count = data.length >> 2,
      words = new Uint32Array(data.buffer, data.byteOffset, count);
    let w = 0;
    while (w < count && words[w] === 0) w++;
    start = 4 * w;
    let tailIsZero = true;
    for (let i = 4 * count; i < data.length; i++) if (data[i] !== 0) tailIsZero = false;
    if (tailIsZero) {
      let v = count;
      while (v > w && words[v - 1] === 0) v--;
      end = 4 * v;
    }
  }
  while (start < end && data[start] === 0) start++;
  if (start === end) return { first: 0, last: -1 };
  let last = end - 1;
  while (data[last] === 0) last--;
  return { first: Math.floor(start / width), last: Math.floor(last / width) };
}

/** The union written into `target` (which it returns): no new plane, for a mask being built up. */
export function unionInto(target: MaskPlane, other: MaskPlane): MaskPlane {
  assertSameSize(target, other, 'mask');
  const x = target.data,
    y = other.data;
  const { first, last } = nonZeroRows(other); // elsewhere `other` is 0 and changes nothing
  for (let i = first * other.width, end = (last + 1) * other.width; i < end; i++) if (y[i] > x[i]) x[i] = y[i];
  return target;
}

export function intersectMasks(a: MaskPlane, b: MaskPlane): MaskPlane {
  const out = output(a, b),
    x = a.data,
    y = b.data,
    o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = x[i] < y[i] ? x[i] : y[i];
  return out;
}

export function subtractMasks(a: MaskPlane, b: MaskPlane): MaskPlane {
  const out = output(a, b),
    x = a.data,
    y = b.data,
    o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = x[i] < 255 - y[i] ? x[i] : 255 - y[i];
  return out;
}

export function invertMask(mask: MaskPlane): MaskPlane {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - mask.data[i];
  return { data: out, width: mask.width, height: mask.height };
}

/** 255 where the mask is at least `threshold`, else 0. */
export function binarizeMask(mask: MaskPlane, threshold = 128): MaskPlane {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] >= threshold ? 255 : 0;
  return { data: out, width: mask.width, height: mask.height };
}
