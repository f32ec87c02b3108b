/**
 * 8-bit sRGB (D65) → CIELAB, minimal and local: @facex/imaging has no colour-space conversion. Lab makes the
 * hair and skin colour models' Gaussians meaningful: lightness (where hair and skin differ most) is split from
 * chroma, and distances are roughly perceptual.
 */

/** sRGB byte → linear light, once per byte value. */
const LINEAR = (() => {
  const table = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const c = v / 255;
    table[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

// D65 white, so that (255, 255, 255) maps to L = 100, a = b = 0.
const WHITE_X = 0.95047;
const WHITE_Z = 1.08883;
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labCompand(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/**
 * L, a, b interleaved (3 per pixel) of the interleaved RGB `rgb`, converted only where `include[p]` is not 0
 * (elsewhere 0): the region masks need colours near the head only.
 */
export function labOfPixels(rgb: Uint8Array, include: Uint8Array): Float32Array {
  const count = include.length;
  const out = new Float32Array(3 * count);
  for (let p = 0; p < count; p++) {
    if (include[p] === 0) continue;
    const r = LINEAR[rgb[3 * p]];
    const g = LINEAR[rgb[3 * p + 1]];
    const b = LINEAR[rgb[3 * p + 2]];
    const fx = labCompand((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE_X);
    const fy = labCompand(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = labCompand((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE_Z);
    out[3 * p] = 116 * fy - 16;
    out[3 * p + 1] = 500 * (fx - fy);
    out[3 * p + 2] = 200 * (fy - fz);
  }
  return out;
}
