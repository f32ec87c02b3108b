import { FacexError, type Affine2D } from '@facex/contracts';
import { applyAffine } from '@facex/imaging';
import { sampleRgb } from './sample-map';
import { buildSourceMap } from './source-map';

// Two triangles covering the square [0, 20]².
const SQUARE = Float32Array.from([0, 0, 20, 0, 20, 20, 0, 20]);
const TRIANGLES = Uint16Array.from([0, 1, 2, 0, 2, 3]);

describe('buildSourceMap', () => {
  it('reproduces an affine map exactly when both meshes differ by that affine', () => {
    const affine: Affine2D = [0.8, 0.1, 3, -0.1, 0.9, 5];
    const source = Float32Array.from({ length: 8 }, (_, k) => applyAffine(affine, SQUARE[k - (k % 2)], SQUARE[k - (k % 2) + 1])[k % 2]);
    const map = buildSourceMap({ destination: SQUARE, source, depth: new Float32Array(4), triangles: TRIANGLES }, 24, 24);
    for (const [x, y] of [
      [1, 1],
      [10, 3],
      [19, 19],
      [5, 15],
    ]) {
      const o = y * 24 + x;
      expect(map.defined[o]).toBe(1);
      const [ex, ey] = applyAffine(affine, x, y);
      expect(map.coords[2 * o]).toBeCloseTo(ex, 4);
      expect(map.coords[2 * o + 1]).toBeCloseTo(ey, 4);
    }
    expect(map.defined[22 * 24 + 22]).toBe(0);
  });

  it('fills pixels outside every triangle from the outside transform', () => {
    const map = buildSourceMap(
      { destination: SQUARE, source: SQUARE, depth: new Float32Array(4), triangles: TRIANGLES, outside: [1, 0, 100, 0, 1, 0] },
      24,
      24,
    );
    const o = 22 * 24 + 22;
    expect(map.defined[o]).toBe(1);
    expect([map.coords[2 * o], map.coords[2 * o + 1]]).toEqual([122, 22]);
  });

  it('draws the nearer of two overlapping triangles last', () => {
    // Two triangles over the same pixels reading different source points; the first is nearer.
    const destination = Float32Array.from([0, 0, 20, 0, 0, 20, 0, 0, 20, 0, 0, 20]);
    const source = Float32Array.from([0, 0, 20, 0, 0, 20, 50, 50, 70, 50, 50, 70]);
    const depth = Float32Array.from([1, 1, 1, 9, 9, 9]);
    const map = buildSourceMap({ destination, source, depth, triangles: Uint16Array.from([0, 1, 2, 3, 4, 5]) }, 24, 24);
    expect(map.coords[2 * (5 * 24 + 5)]).toBeCloseTo(5, 4);
  });
});

describe('buildSourceMap with sourceTriangles', () => {
  it('lets a triangle read another triangle’s source points, flipped corner to corner', () => {
    // Points 4–7: the square mirrored left–right; the triangle reads its mirror image, x → 20 − x.
    const points = Float32Array.from([...SQUARE, 20, 0, 0, 0, 0, 20, 20, 20]);
    const triangles = Uint16Array.from([0, 1, 2]),
      mirrored = Uint16Array.from([4, 5, 6]);
    const map = buildSourceMap({ destination: points, source: points, depth: new Float32Array(8), triangles, sourceTriangles: mirrored }, 24, 24);
    const o = 5 * 24 + 15;
    expect(map.coords[2 * o]).toBeCloseTo(5, 4);
    expect(map.coords[2 * o + 1]).toBeCloseTo(5, 4);
  });

  it('refuses corner lists of another length, naming the field', () => {
    const attempt = () =>
      buildSourceMap(
        { destination: SQUARE, source: SQUARE, depth: new Float32Array(4), triangles: TRIANGLES, sourceTriangles: Uint16Array.from([0, 1, 2]) },
        24,
        24,
      );
    expect(attempt).toThrow(FacexError);
    expect(attempt).toThrow(/sourceTriangles/);
  });
});

describe('sampleRgb', () => {
  it('reads the source bilinearly and leaves undefined pixels black', () => {
    const image = { data: new Uint8Array(4 * 4 * 3), width: 4, height: 4 };
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) image.data[(y * 4 + x) * 3] = x * 60;
    const map = { width: 2, height: 1, coords: Float32Array.from([1.5, 2, 0, 0]), defined: Uint8Array.from([1, 0]) };
    expect(Array.from(sampleRgb(image, map).data)).toEqual([90, 0, 0, 0, 0, 0]);
  });
});
