import { isFacexError } from '@facex/contracts';
import { GaussianNoise } from './seeded-noise';

const draw = (seed: number, stream: 'initialLatents' | 'ddimEta' | 'fusion' = 'initialLatents', length = 4096) =>
  new GaussianNoise(seed, stream).fill(new Float32Array(length));

describe('seeded Gaussian noise', () => {
  it('gives the same values bit for bit for the same seed and stream', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(2 ** 40 + 3, 'fusion')).toEqual(draw(2 ** 40 + 3, 'fusion'));
  });

  it('gives different values for different seeds, streams and seeds above 2³² that share low bits', () => {
    const base = draw(42);
    for (const other of [draw(43), draw(42, 'ddimEta'), draw(42, 'fusion'), draw(42 + 2 ** 32)]) {
      let same = 0;
      for (let i = 0; i < base.length; i++) if (base[i] === other[i]) same++;
      expect(same).toBe(0);
    }
  });

  it('is standard normal: mean ≈ 0, variance ≈ 1, P(|z| < 1) ≈ 0.683', () => {
    const values = draw(7, 'initialLatents', 200_000);
    let sum = 0;
    let sumSquares = 0;
    let inside = 0;
    for (const v of values) {
      sum += v;
      sumSquares += v * v;
      if (Math.abs(v) < 1) inside++;
    }
    const mean = sum / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sumSquares / values.length - mean * mean).toBeCloseTo(1, 1);
    expect(inside / values.length).toBeCloseTo(0.6827, 2);
  });

  it('produces uniform words in every bit: each of the 32 bits is set about half the time', () => {
    const noise = new GaussianNoise(1, 'initialLatents');
    const counts = new Array<number>(32).fill(0);
    const draws = 20_000;
    for (let n = 0; n < draws; n++) {
      const word = noise.nextUint32();
      for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) counts[bit]++;
    }
    for (const count of counts) expect(Math.abs(count / draws - 0.5)).toBeLessThan(0.02);
  });

  it('rejects negative, fractional and unsafe seeds with invalid_recipe naming seed', () => {
    for (const seed of [-1, 1.5, 2 ** 53]) {
      let thrown: unknown;
      try {
        new GaussianNoise(seed, 'initialLatents');
      } catch (error) {
        thrown = error;
      }
      expect(isFacexError(thrown, 'invalid_recipe') && thrown.details.field).toBe('seed');
    }
  });
});
