import { FacexError } from '@facex/contracts';
import { blendMultiBand, fillHoles, lowPass } from './pyramid';
import { createMask, createRgbImage, type RgbImage } from './types';

function flat(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const image = createRgbImage(width, height);
  for (let p = 0; p < image.data.length; p += 3) image.data.set(rgb, p);
  return image;
}

function noise(width: number, height: number, seed: number): RgbImage {
  const image = createRgbImage(width, height);
  let state = seed;
  for (let i = 0; i < image.data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    image.data[i] = state >>> 24;
  }
  return image;
}

describe('blendMultiBand', () => {
  const base = noise(64, 48, 1),
    overlay = noise(64, 48, 2);

  it('returns the base where alpha is 0 everywhere and the overlay where it is 255 everywhere', () => {
    expect(Array.from(blendMultiBand(base, overlay, createMask(64, 48, 0)).data)).toEqual(Array.from(base.data));
    expect(Array.from(blendMultiBand(base, overlay, createMask(64, 48, 255)).data)).toEqual(Array.from(overlay.data));
  });

  it('keeps far pixels of each side and makes a smooth transition across the seam', () => {
    const alpha = createMask(64, 48);
    for (let y = 0; y < 48; y++) alpha.data.fill(255, y * 64 + 32, y * 64 + 64);
    const out = blendMultiBand(flat(64, 48, [0, 0, 0]), flat(64, 48, [200, 200, 200]), alpha, 4);
    const at = (x: number) => out.data[(24 * 64 + x) * 3];
    expect(at(0)).toBe(0);
    expect(at(63)).toBe(200);
    for (let x = 1; x < 64; x++) expect(at(x)).toBeGreaterThanOrEqual(at(x - 1));
    expect(at(31)).toBeGreaterThan(0);
    expect(at(32)).toBeLessThan(200);
  });

  it('takes the overlay outright inside the core, where the coarse bands would still mix in the base', () => {
    const alpha = createMask(64, 48),
      core = createMask(64, 48);
    for (let y = 0; y < 48; y++) {
      alpha.data.fill(255, y * 64, y * 64 + 40);
      core.data.fill(255, y * 64, y * 64 + 39);
    }
    const plain = blendMultiBand(flat(64, 48, [0, 0, 0]), flat(64, 48, [200, 200, 200]), alpha, 5);
    const withCore = blendMultiBand(flat(64, 48, [0, 0, 0]), flat(64, 48, [200, 200, 200]), alpha, 5, core);
    const at = (image: RgbImage, x: number) => image.data[3 * (24 * 64 + x)];
    expect(at(plain, 38)).toBeLessThan(195);
    expect(at(withCore, 38)).toBe(200);
    expect(at(withCore, 50)).toBe(at(plain, 50));
  });

  it('refuses an alpha of another size', () => {
    expect(() => blendMultiBand(base, overlay, createMask(10, 10))).toThrow(FacexError);
  });
});

describe('fillHoles', () => {
  it('keeps known pixels and fills a hole with the colours around it', () => {
    const image = flat(32, 32, [100, 150, 200]);
    const known = createMask(32, 32, 255);
    for (let y = 10; y < 20; y++)
      for (let x = 10; x < 20; x++) {
        known.data[y * 32 + x] = 0;
        image.data.set([0, 0, 0], (y * 32 + x) * 3);
      }
    const out = fillHoles(image, known);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([100, 150, 200]);
    expect(Array.from(out.data.subarray((15 * 32 + 15) * 3, (15 * 32 + 15) * 3 + 3))).toEqual([100, 150, 200]);
  });

  it('refuses to fill when nothing is known', () => {
    expect(() => fillHoles(flat(8, 8, [1, 2, 3]), createMask(8, 8))).toThrow(/known/);
  });
});

describe('lowPass', () => {
  it('removes fine detail and keeps a constant level', () => {
    const width = 64,
      height = 64,
      data = new Float32Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = 100 + (((i % width) + ((i / width) | 0)) % 2 ? 20 : -20);
    const low = lowPass({ data, width, height, channels: 1 }, 3);
    for (const v of low.data) expect(v).toBeCloseTo(100, 3);
  });
});
