import fc from 'fast-check';
import { dilateDisc, dilateSquare, erodeDisc, erodeSquare } from './morphology';
import { binarizeMask, intersectMasks, invertMask, nonZeroRows, subtractMasks, unionInto, unionMasks } from './mask-logic';
import { FAR_DISTANCE, squaredDistanceToMask } from './distance-transform';
import type { MaskPlane } from './types';

const softMask = (maxSide = 24) =>
  fc
    .record({ width: fc.integer({ min: 1, max: maxSide }), height: fc.integer({ min: 1, max: maxSide }) })
    .chain(({ width, height }) => fc.uint8Array({ minLength: width * height, maxLength: width * height }).map((data): MaskPlane => ({ data, width, height })));
const binaryMask = (maxSide = 24) => softMask(maxSide).map((m): MaskPlane => ({ ...m, data: m.data.map((v) => (v >= 200 ? 255 : 0)) }));
const pairOfSameSize = softMask().chain((a) =>
  fc.uint8Array({ minLength: a.data.length, maxLength: a.data.length }).map((data) => [a, { ...a, data }] as const),
);

/** Every value ≤ the other's, pixel by pixel. */
const within = (a: MaskPlane, b: MaskPlane) => a.data.every((v, i) => v <= b.data[i]);

/** Brute-force reference: max (or min) over the window, off-plane pixels ignored. */
function bruteSquare(m: MaskPlane, r: number, isMax: boolean): Uint8Array {
  const out = new Uint8Array(m.data.length);
  for (let y = 0; y < m.height; y++)
    for (let x = 0; x < m.width; x++) {
      let best = isMax ? 0 : 255;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const u = x + dx,
            v = y + dy;
          if (u < 0 || v < 0 || u >= m.width || v >= m.height) continue;
          const value = m.data[v * m.width + u];
          best = isMax ? Math.max(best, value) : Math.min(best, value);
        }
      out[y * m.width + x] = best;
    }
  return out;
}

function bruteDisc(m: MaskPlane, r: number): Uint8Array {
  const out = new Uint8Array(m.data.length);
  for (let y = 0; y < m.height; y++)
    for (let x = 0; x < m.width; x++) {
      for (let i = 0; i < m.data.length && out[y * m.width + x] === 0; i++) {
        const u = i % m.width,
          v = Math.floor(i / m.width);
        if (m.data[i] >= 128 && (u - x) ** 2 + (v - y) ** 2 <= r * r) out[y * m.width + x] = 255;
      }
    }
  return out;
}

describe('square dilation and erosion (van Herk/Gil-Werman)', () => {
  it('match a brute-force window max/min for any radius', () => {
    fc.assert(
      fc.property(softMask(16), fc.integer({ min: 0, max: 20 }), (m, r) => {
        expect(dilateSquare(m, r).data).toEqual(bruteSquare(m, r, true));
        expect(erodeSquare(m, r).data).toEqual(bruteSquare(m, r, false));
      }),
      { numRuns: 150 },
    );
  });

  it('a zero radius is the identity', () => {
    fc.assert(
      fc.property(softMask(), (m) => {
        expect(dilateSquare(m, 0).data).toEqual(m.data);
        expect(erodeSquare(m, 0).data).toEqual(m.data);
      }),
    );
  });

  it('dilation is monotone in the radius; erosion is antitone', () => {
    fc.assert(
      fc.property(softMask(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), (m, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(within(dilateSquare(m, lo), dilateSquare(m, hi))).toBe(true);
        expect(within(erodeSquare(m, hi), erodeSquare(m, lo))).toBe(true);
      }),
    );
  });

  it('rejects a negative radius', () => {
    expect(() => dilateSquare({ data: new Uint8Array(4), width: 2, height: 2 }, -1)).toThrow(RangeError);
  });
});

describe('disc dilation and erosion (Euclidean distance transform)', () => {
  it('match a brute-force disc for any radius', () => {
    fc.assert(
      fc.property(binaryMask(12), fc.integer({ min: 0, max: 14 }), (m, r) => {
        expect(dilateDisc(m, r).data).toEqual(bruteDisc(m, r));
      }),
      { numRuns: 100 },
    );
  });

  it('erosion is the complement of the dilated complement (border excepted: nothing lies beyond it)', () => {
    fc.assert(
      fc.property(binaryMask(12), fc.integer({ min: 1, max: 8 }), (m, r) => {
        expect(erodeDisc(m, r).data).toEqual(invertMask(dilateDisc(invertMask(m), r)).data);
      }),
      { numRuns: 100 },
    );
  });

  it('the distance transform is the exact squared Euclidean distance', () => {
    fc.assert(
      fc.property(binaryMask(10), (m) => {
        const distances = squaredDistanceToMask(m);
        for (let i = 0; i < m.data.length; i++) {
          let best = FAR_DISTANCE;
          for (let j = 0; j < m.data.length; j++) {
            if (m.data[j] < 128) continue;
            best = Math.min(best, ((i % m.width) - (j % m.width)) ** 2 + (Math.floor(i / m.width) - Math.floor(j / m.width)) ** 2);
          }
          expect(distances[i]).toBe(best);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a zero radius is the identity on binary masks', () => {
    fc.assert(
      fc.property(binaryMask(), (m) => {
        expect(dilateDisc(m, 0).data).toEqual(m.data);
        expect(erodeDisc(m, 0).data).toEqual(m.data);
      }),
    );
  });

  it('dilation is monotone in the radius, erosion antitone, and erosion lies within the mask', () => {
    fc.assert(
      fc.property(binaryMask(), fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), (m, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(within(dilateDisc(m, lo), dilateDisc(m, hi))).toBe(true);
        expect(within(erodeDisc(m, hi), erodeDisc(m, lo))).toBe(true);
        expect(within(erodeDisc(m, hi), m)).toBe(true);
      }),
    );
  });

  it('grows a single pixel into a disc, not a square', () => {
    const m: MaskPlane = { data: new Uint8Array(21 * 21), width: 21, height: 21 };
    m.data[10 * 21 + 10] = 255;
    const d = dilateDisc(m, 5).data;
    expect(d[10 * 21 + 15]).toBe(255); // 5 px to the right
    expect(d[15 * 21 + 15]).toBe(0); // the corner of the 11×11 square is √50 > 5 away
  });

  it('does not erode from the plane border', () => {
    const full: MaskPlane = { data: new Uint8Array(100).fill(255), width: 10, height: 10 };
    expect(erodeDisc(full, 3).data.every((v) => v === 255)).toBe(true);
  });

  it('an empty plane is infinitely far from the mask', () => {
    expect(squaredDistanceToMask({ data: new Uint8Array(9), width: 3, height: 3 })[4]).toBe(FAR_DISTANCE);
  });
});

describe('union and intersection', () => {
  it('are commutative', () => {
    fc.assert(
      fc.property(pairOfSameSize, ([a, b]) => {
        expect(unionMasks(a, b).data).toEqual(unionMasks(b, a).data);
        expect(intersectMasks(a, b).data).toEqual(intersectMasks(b, a).data);
      }),
    );
  });

  it('dilation distributes over union', () => {
    fc.assert(
      fc.property(pairOfSameSize, fc.integer({ min: 0, max: 6 }), ([a, b], r) => {
        expect(dilateSquare(unionMasks(a, b), r).data).toEqual(unionMasks(dilateSquare(a, r), dilateSquare(b, r)).data);
      }),
    );
  });

  it('a − b keeps a only where b is absent, and never exceeds a', () => {
    fc.assert(
      fc.property(pairOfSameSize, ([a, b]) => {
        const difference = subtractMasks(a, b);
        expect(within(difference, a)).toBe(true);
        expect(within(difference, invertMask(b))).toBe(true);
        expect(subtractMasks(a, a).data.every((v, i) => v <= 255 - a.data[i])).toBe(true);
      }),
    );
  });

  it('unionInto writes the union into its first mask', () => {
    fc.assert(
      fc.property(pairOfSameSize, ([a, b]) => {
        const target = { ...a, data: a.data.slice() };
        expect(unionInto(target, b)).toBe(target);
        expect(target.data).toEqual(unionMasks(a, b).data);
      }),
    );
  });

  it('nonZeroRows finds the first and last rows holding a value, at any byte offset', () => {
    fc.assert(
      fc.property(softMask(), fc.integer({ min: 0, max: 5 }), (soft, offset) => {
        const m = { ...soft, data: soft.data.map((v) => (v >= 240 ? v : 0)) }; // mostly empty rows
        const buffer = new Uint8Array(m.data.length + offset);
        buffer.set(m.data, offset);
        const rows = [...Array(m.height).keys()].filter((y) => m.data.subarray(y * m.width, (y + 1) * m.width).some((v) => v !== 0));
        const expected = rows.length ? { first: rows[0], last: rows[rows.length - 1] } : { first: 0, last: -1 };
        expect(nonZeroRows({ ...m, data: buffer.subarray(offset) })).toEqual(expected);
      }),
    );
  });

  it('binarize thresholds at 128', () => {
    const m: MaskPlane = { data: Uint8Array.from([0, 127, 128, 255]), width: 2, height: 2 };
    expect(Array.from(binarizeMask(m).data)).toEqual([0, 0, 255, 255]);
  });

  it('reject masks of different sizes', () => {
    expect(() => unionMasks({ data: new Uint8Array(4), width: 2, height: 2 }, { data: new Uint8Array(6), width: 3, height: 2 })).toThrow(/differ in size/);
  });
});
