import { alphaCumprodAt, interpolatedAlphaCumprod, scaledLinearSchedule, SD15_NOISE_SCHEDULE, sigmaFromAlphaCumprod } from './noise-schedule';

describe('SD 1.5 scaled-linear schedule', () => {
  const schedule = SD15_NOISE_SCHEDULE;

  it('has β running from 0.00085 to 0.012 over 1000 steps', () => {
    expect(schedule.trainSteps).toBe(1000);
    expect(schedule.betas[0]).toBeCloseTo(0.00085, 15);
    expect(schedule.betas[999]).toBeCloseTo(0.012, 15);
  });

  it('gives ᾱ at t = 0 and t = 999 equal to the closed-form product', () => {
    // Independently: ᾱ_t = exp(Σ log(1 − β_i)), β_i = (√b0 + i/999·(√b1 − √b0))².
    const closedForm = (t: number): number => {
      let logSum = 0;
      for (let i = 0; i <= t; i++) {
        const root = Math.sqrt(0.00085) + (i / 999) * (Math.sqrt(0.012) - Math.sqrt(0.00085));
        logSum += Math.log1p(-root * root);
      }
      return Math.exp(logSum);
    };
    expect(schedule.alphasCumprod[0]).toBeCloseTo(1 - 0.00085, 15);
    expect(schedule.alphasCumprod[999]).toBeCloseTo(closedForm(999), 12);
    expect(schedule.alphasCumprod[499]).toBeCloseTo(closedForm(499), 12);
    expect(schedule.alphasCumprod[999]).toBeCloseTo(0.00466, 5);
  });

  it('gives the Euler sigmas SD 1.5 is known for: σ_max ≈ 14.6146, σ_min ≈ 0.0292', () => {
    expect(sigmaFromAlphaCumprod(schedule.alphasCumprod[999])).toBeCloseTo(14.6146, 4);
    expect(sigmaFromAlphaCumprod(schedule.alphasCumprod[0])).toBeCloseTo(0.0292, 4);
    expect(sigmaFromAlphaCumprod(1)).toBe(0);
  });

  it('rejects settings that are not a schedule', () => {
    expect(() => scaledLinearSchedule({ betaStart: 0.02, betaEnd: 0.01, trainSteps: 1000 })).toThrow(RangeError);
    expect(() => scaledLinearSchedule({ betaStart: 0.001, betaEnd: 0.01, trainSteps: 1 })).toThrow(RangeError);
  });

  it('rejects a timestep outside the training range with invalid_recipe', () => {
    expect(() => alphaCumprodAt(schedule, 1000)).toThrow(expect.objectContaining({ code: 'invalid_recipe' }));
  });

  it('reads ᾱ between training steps by interpolating σ linearly, and the end values outside 0…999', () => {
    const sigma = (t: number) => sigmaFromAlphaCumprod(schedule.alphasCumprod[t]);
    const between = 0.25 * sigma(958) + 0.75 * sigma(957);
    expect(interpolatedAlphaCumprod(schedule, 957.25)).toBeCloseTo(1 / (1 + between * between), 15);
    expect(interpolatedAlphaCumprod(schedule, 500)).toBe(schedule.alphasCumprod[500]);
    expect(interpolatedAlphaCumprod(schedule, -1)).toBe(schedule.alphasCumprod[0]);
    expect(interpolatedAlphaCumprod(schedule, 1200)).toBe(schedule.alphasCumprod[999]);
  });
});
