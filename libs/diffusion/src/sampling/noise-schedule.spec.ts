import { isFacexError } from '@facex/contracts';
import { alphaCumprodAt, scaledLinearSchedule, SD15_NOISE_SCHEDULE, sigmaFromAlphaCumprod } from './noise-schedule';
import { createSamplingPlan, spacedTimesteps } from './sampling-plan';

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
});

describe('timestep spacing', () => {
  it('leading, 25 steps, offset 1: 961, 921, …, 1', () => {
    const timesteps = spacedTimesteps(25, 1000, { spacing: 'leading', stepsOffset: 1 });
    expect(timesteps).toHaveLength(25);
    expect(timesteps[0]).toBe(961);
    expect(timesteps[24]).toBe(1);
    for (let i = 1; i < 25; i++) expect(timesteps[i - 1] - timesteps[i]).toBe(40);
  });

  it('trailing, 25 steps: 999, 959, …, 39', () => {
    const timesteps = spacedTimesteps(25, 1000, { spacing: 'trailing', stepsOffset: 1 });
    expect(timesteps[0]).toBe(999);
    expect(timesteps[24]).toBe(39);
    for (let i = 1; i < 25; i++) expect(timesteps[i - 1] - timesteps[i]).toBe(40);
  });

  it('trailing rounds .5 ties to even, as the reference schedulers do (16 steps: 937.5 → 938, 812.5 → 812)', () => {
    const timesteps = Array.from(spacedTimesteps(16, 1000, { spacing: 'trailing', stepsOffset: 1 }));
    expect(timesteps.slice(0, 6)).toEqual([999, 937, 874, 811, 749, 687]);
    expect(timesteps[15]).toBe(61);
  });

  it('leading, 50 steps: 981 down to 1', () => {
    const timesteps = spacedTimesteps(50, 1000, { spacing: 'leading', stepsOffset: 1 });
    expect([timesteps[0], timesteps[49]]).toEqual([981, 1]);
  });

  it('rejects step counts outside 1…1000 and ones that leave the training range, naming steps', () => {
    for (const steps of [0, 2.5, 1001]) {
      let thrown: unknown;
      try {
        spacedTimesteps(steps, 1000, { spacing: 'leading', stepsOffset: 1 });
      } catch (error) {
        thrown = error;
      }
      expect(isFacexError(thrown, 'invalid_recipe') && thrown.details.field).toBe('steps');
    }
    // 1000 leading steps with offset 1 would reach t = 1000.
    expect(() => spacedTimesteps(1000, 1000, { spacing: 'leading', stepsOffset: 1 })).toThrow(/training range/);
  });

  it('a plan ends on the clean end, ᾱ = 1, after the ᾱ of each timestep', () => {
    const plan = createSamplingPlan(SD15_NOISE_SCHEDULE, 4, { spacing: 'trailing', stepsOffset: 1 });
    expect(Array.from(plan.timesteps)).toEqual([999, 749, 499, 249]);
    expect(plan.alphasCumprod[0]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[999]);
    expect(plan.alphasCumprod[3]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[249]);
    expect(plan.alphasCumprod[4]).toBe(1);
  });
});
