import { fitColourGaussian } from './colour-gaussian';
import { earVisibility, EAR_FULL_YAW, EAR_HIDDEN_YAW } from './ear-model';
import { HAIR_PRIOR_FULL_PER_IOD, HAIR_PRIOR_ZERO_PER_IOD, headProximityPrior, scoreHairColour } from './hair-model';

const gaussianAt = (l: number, a: number, b: number) => fitColourGaussian(Float32Array.of(l, a, b), Float32Array.of(1), [16, 4, 4])!;

describe('scoreHairColour', () => {
  const hair = gaussianAt(20, 5, 10);
  const skin = gaussianAt(70, 15, 18);
  const score = new Float64Array(2);

  it('scores hair-coloured pixels as hair, skin-coloured ones as skin and far-off colours as neither', () => {
    scoreHairColour({ hair, skin }, 21, 5, 10, score);
    expect(score[0]).toBeGreaterThan(0.95);
    scoreHairColour({ hair, skin }, 69, 15, 18, score);
    expect(score[0]).toBeLessThan(0.01);
    expect(score[1]).toBeLessThan(0.01);
    // A saturated blue shirt: unlike both, so not hair — though nearer to hair than to skin.
    scoreHairColour({ hair, skin }, 30, 20, -60, score);
    expect(score[0]).toBeLessThan(0.01);
    expect(score[1]).toBeGreaterThan(0.5);
  });

  it('claims no hair without a hair model (bald head or no seed)', () => {
    scoreHairColour({ hair: null, skin }, 20, 5, 10, score);
    expect(Array.from(score)).toEqual([0, 0]);
  });
});

describe('headProximityPrior', () => {
  it('is 1 near the oval, falls monotonically and is 0 beyond the reach', () => {
    const iod = 70;
    expect(headProximityPrior((HAIR_PRIOR_FULL_PER_IOD * iod) ** 2, iod)).toBe(1);
    expect(headProximityPrior((HAIR_PRIOR_ZERO_PER_IOD * iod) ** 2, iod)).toBe(0);
    const values = [0.6, 0.8, 1, 1.2, 1.4].map((d) => headProximityPrior((d * iod) ** 2, iod));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
  });
});

describe('earVisibility', () => {
  it('keeps both ears on a frontal head and hides the far ear as the head turns', () => {
    expect(earVisibility(0)).toEqual({ right: 1, left: 1 });
    expect(earVisibility(EAR_FULL_YAW)).toEqual({ right: 1, left: 1 });
    expect(earVisibility(EAR_HIDDEN_YAW)).toEqual({ right: 0, left: 1 });
    expect(earVisibility(-EAR_HIDDEN_YAW)).toEqual({ right: 1, left: 0 });
    const halfway = earVisibility((EAR_FULL_YAW + EAR_HIDDEN_YAW) / 2);
    expect(halfway.right).toBeCloseTo(0.5, 10);
  });
});
