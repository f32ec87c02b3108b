import fc from 'fast-check';
import type { Affine2D } from '@facex/contracts';
import { applyAffine, composeAffine, fitSimilarity, invertAffine, scaleAffine } from './affine';
import { featherMask } from './feather';
import { grayscaleInto, grayscaleRgb, lumaPlane } from './grayscale';
import { pasteBack, pasteBackLevel } from './paste-back';
import { createMask, createRgbImage, type RgbImage } from './types';
import { binarizeMask } from './mask-logic';
import { downsampleRgb2x, upsampleMask2x, upsampleMaskBinary2x, warpMask, warpRgb } from './warp';

const similarity = (scale: number, angle: number, tx: number, ty: number): Affine2D => [
  scale * Math.cos(angle),
  -scale * Math.sin(angle),
  tx,
  scale * Math.sin(angle),
  scale * Math.cos(angle),
  ty,
];

function gradient(width: number, height: number): RgbImage {
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      image.data[p] = x * 4;
      image.data[p + 1] = y * 4;
      image.data[p + 2] = 100;
    }
  return image;
}

describe('affine helpers', () => {
  it('invert undoes a similarity and compose applies inner first', () => {
    const m = similarity(1.7, 0.4, 12, -3);
    const [x, y] = applyAffine(composeAffine(invertAffine(m), m), 5, 9);
    expect(x).toBeCloseTo(5, 9);
    expect(y).toBeCloseTo(9, 9);
    expect(applyAffine(composeAffine(scaleAffine(2), m), 1, 1)).toEqual(applyAffine(m, 1, 1).map((v) => v * 2));
  });

  it('fitSimilarity recovers the similarity that moved the points', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (scale, angle) => {
        const m = similarity(scale, angle, 30, -7);
        const from = [0, 0, 10, 0, 3, 8, -4, 6];
        const to = [0, 1, 2, 3].flatMap((i) => applyAffine(m, from[2 * i], from[2 * i + 1]));
        fitSimilarity(from, to, 4).forEach((v, i) => expect(v).toBeCloseTo(m[i], 6));
      }),
    );
  });

  it('fitSimilarity and invertAffine refuse degenerate input', () => {
    expect(() => fitSimilarity([1, 1, 1, 1], [0, 0, 2, 2], 2)).toThrow(/distinct points/);
    expect(() => invertAffine([0, 0, 0, 0, 0, 0])).toThrow(/singular/);
  });
});

describe('warps', () => {
  it('a translation by whole pixels moves the pixels exactly and fills uncovered pixels with 0', () => {
    const src = gradient(8, 8);
    const out = warpRgb(src, [1, 0, 2, 0, 1, 1], 8, 8);
    expect(Array.from(out.data.subarray((3 * 8 + 5) * 3, (3 * 8 + 5) * 3 + 3))).toEqual(Array.from(src.data.subarray((2 * 8 + 3) * 3, (2 * 8 + 3) * 3 + 3)));
    expect(out.data[0]).toBe(0);
  });

  it('bilinear sampling halfway between two pixels averages them', () => {
    const mask = createMask(2, 1);
    mask.data[1] = 200;
    expect(warpMask(mask, [1, 0, -0.5, 0, 1, 0], 1, 1).data[0]).toBe(100);
  });

  it('with a `where` mask, samples only where it is non-zero, exactly as the full warp', () => {
    const src = gradient(40, 40);
    const m = similarity(1.1, 0.4, 6, -2);
    const where = createMask(48, 48);
    for (let i = 0; i < where.data.length; i += 7) where.data[i] = 255;
    const full = warpRgb(src, m, 48, 48).data,
      masked = warpRgb(src, m, 48, 48, where).data;
    for (let i = 0; i < where.data.length; i++) {
      const expected = where.data[i] ? Array.from(full.subarray(3 * i, 3 * i + 3)) : [0, 0, 0];
      expect(Array.from(masked.subarray(3 * i, 3 * i + 3))).toEqual(expected);
    }
    expect(() => warpRgb(src, m, 48, 48, createMask(47, 48))).toThrow(/where/);
  });

  it('warping a mask gives what sampling every pixel gives, however little of the plane is set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 19 }), fc.double({ min: -3, max: 3, noNaN: true }), (row, column, angle) => {
        const mask = createMask(20, 20);
        mask.data[row * 20 + column] = 255;
        mask.data[row * 20 + ((column + 3) % 20)] = 90;
        const m = similarity(1.3, angle, 4, 2);
        const out = warpMask(mask, m, 30, 30).data;
        const inverse = invertAffine(m);
        for (let y = 0; y < 30; y++)
          for (let x = 0; x < 30; x++) {
            const [sx, sy] = applyAffine(inverse, x, y);
            const x0 = Math.floor(sx),
              y0 = Math.floor(sy),
              fx = sx - x0,
              fy = sy - y0;
            const at = (u: number, v: number) => (u >= 0 && v >= 0 && u < 20 && v < 20 ? mask.data[v * 20 + u] : 0);
            const top = at(x0, y0) + fx * (at(x0 + 1, y0) - at(x0, y0)),
              bottom = at(x0, y0 + 1) + fx * (at(x0 + 1, y0 + 1) - at(x0, y0 + 1));
            expect(Math.abs(out[y * 30 + x] - (top + fy * (bottom - top)))).toBeLessThanOrEqual(0.5 + 1e-6);
          }
      }),
      { numRuns: 30 },
    );
  });

  it('warping there and back keeps the interior', () => {
    const src = gradient(40, 40);
    const m = similarity(1, 0.3, 5, 3);
    const back = warpRgb(warpRgb(src, m, 60, 60), invertAffine(m), 40, 40);
    const p = (20 * 40 + 20) * 3;
    expect(Math.abs(back.data[p] - src.data[p])).toBeLessThanOrEqual(2);
    expect(Math.abs(back.data[p + 1] - src.data[p + 1])).toBeLessThanOrEqual(2);
  });
});

describe('feathering', () => {
  it('a zero radius is the identity; a step becomes a monotone ramp', () => {
    const mask = createMask(40, 40);
    for (let y = 0; y < 40; y++) mask.data.fill(255, y * 40 + 20, y * 40 + 40);
    expect(featherMask(mask, 0).data).toEqual(mask.data);
    const soft = featherMask(mask, 3).data.subarray(20 * 40, 21 * 40); // the middle row, far from the top and bottom
    for (let x = 11; x <= 30; x++) expect(soft[x]).toBeGreaterThanOrEqual(soft[x - 1]);
    expect(soft[5]).toBe(0);
    expect(soft[30]).toBe(255);
    expect(soft[20]).toBeGreaterThan(100);
    expect(soft[20]).toBeLessThan(200);
  });

  it('fades at the plane border (outside counts as 0)', () => {
    const soft = featherMask(createMask(32, 32, 255), 2).data;
    expect(soft[0]).toBeLessThan(128);
    expect(soft[16 * 32 + 16]).toBe(255);
  });

  it('feathers a small blob in a large plane exactly as in a plane just big enough for its blur', () => {
    const blob = (size: number, at: number) => {
      const mask = createMask(size, size);
      for (let y = 0; y < 6; y++) for (let x = 0; x < 5; x++) mask.data[(at + y) * size + at + x] = 40 * (x + y);
      return mask;
    };
    const radius = 3,
      margin = 3 * radius;
    const large = featherMask(blob(100, 60), radius),
      tight = featherMask(blob(6 + 2 * margin, margin), radius);
    for (let y = 0; y < tight.height; y++) {
      for (let x = 0; x < tight.width; x++) expect(large.data[(60 - margin + y) * 100 + 60 - margin + x]).toBe(tight.data[y * tight.width + x]);
    }
    expect(large.data.reduce((sum, v) => sum + v, 0)).toBe(tight.data.reduce((sum, v) => sum + v, 0));
  });
});

describe('grayscale (Rec. 601 luma)', () => {
  it('weights R, G, B by 0.299, 0.587, 0.114 and keeps white white', () => {
    const image: RgbImage = { data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), width: 4, height: 1 };
    expect(Array.from(lumaPlane(image).data)).toEqual([76, 150, 29, 255]);
    expect(Array.from(grayscaleRgb(image).data.subarray(3, 6))).toEqual([150, 150, 150]);
  });

  it('grayscaleInto writes the grayscale only where the mask is set', () => {
    const image: RgbImage = { data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), width: 4, height: 1 };
    const into: RgbImage = { data: new Uint8Array(12).fill(7), width: 4, height: 1 };
    grayscaleInto(into, image, { data: Uint8Array.from([0, 255, 0, 1]), width: 4, height: 1 });
    expect(Array.from(into.data)).toEqual([7, 7, 7, 150, 150, 150, 7, 7, 7, 255, 255, 255]);
    expect(() => grayscaleInto(into, image, createMask(3, 1))).toThrow(/where/);
  });
});

describe('paste-back', () => {
  const image = (): RgbImage => ({ data: new Uint8Array(30 * 30 * 3).fill(10), width: 30, height: 30 });
  const crop: RgbImage = { data: new Uint8Array(10 * 10 * 3).fill(250), width: 10, height: 10 };

  it('blends by alpha only inside the crop footprint', () => {
    const alpha = createMask(10, 10, 255);
    alpha.data.fill(128, 0, 10); // a half-transparent first row
    const out = pasteBack(image(), crop, [1, 0, 5, 0, 1, 5], alpha);
    expect(out.data[(10 * 30 + 10) * 3]).toBe(250);
    expect(out.data[(5 * 30 + 10) * 3]).toBe(Math.round(10 + (240 * 128) / 255));
    expect(out.data[(2 * 30 + 2) * 3]).toBe(10);
  });

  it('follows a scaled crop-to-image matrix', () => {
    const out = pasteBack(image(), crop, [2, 0, 4, 0, 2, 4], createMask(10, 10, 255));
    expect(out.data[(21 * 30 + 21) * 3]).toBe(250);
    expect(out.data[(23 * 30 + 23) * 3]).toBe(10);
  });

  it('rejects an alpha of the wrong size', () => {
    expect(() => pasteBack(image(), crop, [1, 0, 0, 0, 1, 0], createMask(5, 5))).toThrow(/does not match/);
  });

  it('reads a crop shown smaller than it is from its halvings: a pixel checkerboard at a quarter size is its mean, wherever it lands', () => {
    const board: RgbImage = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) board.data.fill((x + y) % 2 ? 240 : 0, (y * 64 + x) * 3, (y * 64 + x + 1) * 3);
    for (const shift of [0, 0.3, 0.5]) {
      const out = pasteBack(image(), board, [0.25, 0, 5 + shift, 0, 0.25, 5], createMask(64, 64, 255));
      // Bilinear reads of the board itself would give 0 or 240 at whole crop pixels.
      expect(out.data[(10 * 30 + 10) * 3]).toBe(120);
    }
  });

  it('reads the crop itself down to half its size, then the level one finer than one crop pixel per image pixel', () => {
    expect([0.5, 1, 2, 4, 8].map(pasteBackLevel)).toEqual([0, 0, 0, 1, 2]);
  });
});

describe('2× resampling between the 256 and 512 px crops', () => {
  it('upsampling keeps (u, v) at (2u, 2v), averages between, repeats the last row and column', () => {
    const mask = { data: Uint8Array.from([0, 100, 200, 255]), width: 2, height: 2 };
    const up = upsampleMask2x(mask);
    expect(up.width).toBe(4);
    expect(Array.from(up.data)).toEqual([0, 50, 100, 100, 100, 139, 178, 178, 200, 228, 255, 255, 200, 228, 255, 255]);
  });

  it('the thresholded upsample is the upsample binarised, at any threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 256 }),
        fc.nat(),
        (width, height, threshold, seed) => {
          const data = Uint8Array.from({ length: width * height }, (_, i) => ((seed + i * 97) % 5 === 0 ? 0 : (seed * 31 + i * 53) % 256));
          const mask = { data, width, height };
          expect(upsampleMaskBinary2x(mask, threshold).data).toEqual(binarizeMask(upsampleMask2x(mask), threshold).data);
        },
      ),
    );
  });

  it('downsampling averages 2×2 blocks', () => {
    const image: RgbImage = { data: Uint8Array.from([0, 0, 0, 10, 20, 30, 20, 40, 60, 30, 60, 91]), width: 2, height: 2 };
    expect(Array.from(downsampleRgb2x(image).data)).toEqual([15, 30, 45]);
  });
});
