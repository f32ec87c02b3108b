import { fitColourGaussian, mahalanobis2 } from './colour-gaussian';

describe('fitColourGaussian', () => {
  // Four colours, two ±2 along L and two ±2 along a around (50, 10, −5): variances 2 (L), 2 (a), 0 (b), no correlation.
  const lab = Float32Array.of(52, 10, -5, 48, 10, -5, 50, 12, -5, 50, 8, -5, 0, 0, 0);
  const weights = Float32Array.of(1, 1, 1, 1, 0);

  it('recovers the weighted mean and covariance (plus the variance floor) and skips zero weights', () => {
    const g = fitColourGaussian(lab, weights, [0, 0, 1])!;
    expect(Array.from(g.mean)).toEqual([50, 10, -5]);
    expect(g.weight).toBe(4);
    expect(g.logDet).toBeCloseTo(Math.log(2 * 2 * 1), 10);
    // Squared distance = squared offset over variance, summed over the (uncorrelated) axes.
    expect(mahalanobis2(g, 52, 10, -5)).toBeCloseTo(2, 10);
    expect(mahalanobis2(g, 50, 10, -4)).toBeCloseTo(1, 10);
    expect(mahalanobis2(g, 52, 12, -5)).toBeCloseTo(4, 10);
  });

  it('accounts for correlation: along the correlated direction the distance is shorter', () => {
    const correlated = Float32Array.of(52, 12, 0, 48, 8, 0, 51, 11, 0, 49, 9, 0);
    const g = fitColourGaussian(correlated, new Float32Array(4).fill(1), [0.1, 0.1, 0.1])!;
    expect(mahalanobis2(g, 52, 12, 0)).toBeLessThan(mahalanobis2(g, 52, 8, 0) / 10);
  });

  it('returns null when no pixel has weight', () => {
    expect(fitColourGaussian(lab, new Float32Array(5), [1, 1, 1])).toBeNull();
  });
});
