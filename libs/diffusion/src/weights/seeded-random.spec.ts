import { fillNormal, mulberry32, rngForKey } from './seeded-random';
import { RandomWeightSource } from './weight-source';

describe('seeded random initialisation', () => {
  it('gives the same values for the same seed and key, whatever was drawn before', () => {
    const first = new RandomWeightSource(42);
    const second = new RandomWeightSource(42);
    second.tensor('unrelated', [100], { kind: 'uniform', fanIn: 3 });
    const init = { kind: 'uniform', fanIn: 16 } as const;
    expect(Array.from(first.tensor('layer.weight', [8, 2], init))).toEqual(Array.from(second.tensor('layer.weight', [8, 2], init)));
    expect(Array.from(first.tensor('layer.weight', [8, 2], init))).not.toEqual(Array.from(new RandomWeightSource(43).tensor('layer.weight', [8, 2], init)));
    expect(Array.from(first.tensor('layer.weight', [8, 2], init))).not.toEqual(Array.from(first.tensor('layer.bias', [8, 2], init)));
  });

  it("scales uniform weights like PyTorch's default: |w| < 1/sqrt(fanIn), filling the range", () => {
    const values = new RandomWeightSource(1).tensor('w', [10000], { kind: 'uniform', fanIn: 64 });
    const max = Math.max(...Array.from(values, Math.abs));
    expect(max).toBeLessThan(1 / 8);
    expect(max).toBeGreaterThan(0.124);
  });

  it('draws normals with the requested spread and constants exactly', () => {
    const values = fillNormal(new Float32Array(20001), rngForKey(3, 'embedding'), 0.02);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.abs(std - 0.02)).toBeLessThan(1e-3);
    expect(Array.from(new RandomWeightSource(1).tensor('z', [3], { kind: 'constant', value: 0 }))).toEqual([0, 0, 0]);
  });

  it('mulberry32 stays in [0, 1)', () => {
    const rng = mulberry32(0);
    for (let i = 0; i < 10000; i++) {
      const u = rng();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});
