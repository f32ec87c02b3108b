import { isFacexError } from '@facex/contracts';
import { rasterizePolygon } from './raster';

const sum = (plane: Float32Array): number => plane.reduce((s, v) => s + v, 0);
/** Square with corners on pixel edges given in edge units (pixel x spans [x − ½, x + ½), so edge e is at e − ½). */
const square = (x0: number, y0: number, x1: number, y1: number, clockwise = true): number[] => {
  const [a, b, c, d] = [x0 - 0.5, y0 - 0.5, x1 - 0.5, y1 - 0.5];
  return clockwise ? [a, b, c, b, c, d, a, d] : [a, b, a, d, c, d, c, b];
};

describe('rasterizePolygon', () => {
  it('fills a square on pixel edges exactly and nothing outside it (pixel centres on integer points)', () => {
    const plane = rasterizePolygon([square(2, 3, 6, 5)], 10, 10);
    expect(sum(plane)).toBeCloseTo(8, 5);
    expect(plane[4 * 10 + 3]).toBeCloseTo(1, 6);
    expect(plane[4 * 10 + 6]).toBe(0);
    expect(plane[2 * 10 + 3]).toBe(0);
  });

  it('gives partial coverage on edges that cut pixels (anti-aliasing)', () => {
    const plane = rasterizePolygon([square(2.5, 2.5, 5.5, 5.5)], 8, 8);
    expect(plane[3 * 8 + 2]).toBeCloseTo(0.5, 5);
    expect(plane[2 * 8 + 2]).toBeCloseTo(0.25, 5);
    expect(plane[3 * 8 + 3]).toBeCloseTo(1, 5);
    expect(sum(plane)).toBeCloseTo(9, 4);
  });

  it('covers a triangle with its area', () => {
    const plane = rasterizePolygon([[1, 1, 30, 4, 10, 25]], 32, 32, { subsamples: 8 });
    const area = Math.abs((30 - 1) * (25 - 1) - (10 - 1) * (4 - 1)) / 2;
    expect(Math.abs(sum(plane) - area) / area).toBeLessThan(0.01);
  });

  it('cuts a hole with the even-odd rule, and with non-zero only when the inner ring is wound backwards', () => {
    const outer = square(0, 0, 10, 10);
    const evenOdd = rasterizePolygon([outer, square(3, 3, 7, 7)], 10, 10, { fillRule: 'evenodd' });
    expect(sum(evenOdd)).toBeCloseTo(100 - 16, 4);
    const sameWinding = rasterizePolygon([outer, square(3, 3, 7, 7)], 10, 10, { fillRule: 'nonzero' });
    expect(sum(sameWinding)).toBeCloseTo(100, 4);
    const reversed = rasterizePolygon([outer, square(3, 3, 7, 7, false)], 10, 10, { fillRule: 'nonzero' });
    expect(sum(reversed)).toBeCloseTo(100 - 16, 4);
  });

  it('clips shapes that leave the grid and unions into an existing plane by maximum', () => {
    const plane = rasterizePolygon([square(-5, -5, 3, 3)], 6, 6);
    expect(sum(plane)).toBeCloseTo(9, 4);
    rasterizePolygon([square(2, 2, 4, 4)], 6, 6, {}, plane);
    expect(sum(plane)).toBeCloseTo(9 + 4 - 1, 4);
  });

  it('rejects odd-length rings, non-finite points and bad sizes with typed errors', () => {
    expect(() => rasterizePolygon([[1, 2, 3]], 4, 4)).toThrow(expect.objectContaining({ code: 'invalid_representation' }));
    expect(() => rasterizePolygon([[0, 0, NaN, 1, 2, 2]], 4, 4)).toThrow(/finite/);
    let caught: unknown;
    try {
      rasterizePolygon([square(0, 0, 1, 1)], 0, 4);
    } catch (error) {
      caught = error;
    }
    expect(isFacexError(caught, 'invalid_representation')).toBe(true);
  });
});
