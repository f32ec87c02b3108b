import { applyClassifierFreeGuidance } from './guidance';

describe('classifier-free guidance', () => {
  const cond = Float32Array.of(1, -2, 0.5);
  const uncond = Float32Array.of(0.5, 1, 0.5);

  it('computes ε_uncond + g·(ε_cond − ε_uncond)', () => {
    const out = applyClassifierFreeGuidance(cond, uncond, 7.5, new Float32Array(3));
    expect(Array.from(out)).toEqual([0.5 + 7.5 * 0.5, 1 + 7.5 * -3, 0.5]);
  });

  it('returns the conditional prediction at g = 1 and the unconditional one at g = 0', () => {
    expect(applyClassifierFreeGuidance(cond, uncond, 1, new Float32Array(3))).toEqual(cond);
    expect(applyClassifierFreeGuidance(cond, uncond, 0, new Float32Array(3))).toEqual(uncond);
  });
});
