import { OneEuroFilter, ONE_EURO_SHAPE } from './one-euro';

/** Deterministic noise in [-1, 1]. */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

function meanAbsStep(values: number[]): number {
  return values.slice(1).reduce((sum, v, i) => sum + Math.abs(v - values[i]), 0) / (values.length - 1);
}

describe('OneEuroFilter', () => {
  it('returns the first value as it is', () => {
    expect(Array.from(new OneEuroFilter(ONE_EURO_SHAPE).filter([3, 4], 0))).toEqual([3, 4]);
  });

  it('removes most of the jitter of a still value', () => {
    const filter = new OneEuroFilter(ONE_EURO_SHAPE);
    const raw = Array.from({ length: 120 }, (_, i) => 100 + 2 * noise(i));
    const smoothed = raw.map((v, i) => filter.filter([v], i / 30)[0]);
    expect(meanAbsStep(smoothed.slice(10))).toBeLessThan(meanAbsStep(raw.slice(10)) / 4);
  });

  it('follows a fast motion within a few pixels (the cut-off rises with speed)', () => {
    const filter = new OneEuroFilter(ONE_EURO_SHAPE);
    const lags = Array.from({ length: 60 }, (_, i) => {
      const value = 600 * (i / 30); // 600 px/s
      return Math.abs(filter.filter([value], i / 30)[0] - value);
    });
    expect(Math.max(...lags.slice(30))).toBeLessThan(25);
  });

  it('starts afresh after reset', () => {
    const filter = new OneEuroFilter(ONE_EURO_SHAPE);
    filter.filter([0], 0);
    filter.filter([0], 1 / 30);
    filter.reset();
    expect(filter.filter([500], 2 / 30)[0]).toBe(500);
  });
});
