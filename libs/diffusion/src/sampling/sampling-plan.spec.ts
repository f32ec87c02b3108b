import { isFacexError } from '@facex/contracts';
import { SD15_NOISE_SCHEDULE } from './noise-schedule';
import type { SamplerKind } from './sampler';
import { createSamplingPlan, referenceTimesteps, type SamplingPlan, type TimestepSpacing } from './sampling-plan';
import { referencePlan, STEPS_OFFSET, T } from './testing/reference-schedulers';

const KINDS: readonly SamplerKind[] = ['ddim', 'dpm-solver++-2m', 'euler'];
const SPACINGS: readonly TimestepSpacing[] = ['leading', 'trailing', 'linspace'];
const STEP_COUNTS = Array.from({ length: 150 }, (_, i) => i + 1);

function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300));
  return worst;
}

function plan(kind: SamplerKind, steps: number, spacing: TimestepSpacing, setAlphaToOne = false): SamplingPlan {
  return createSamplingPlan(kind, SD15_NOISE_SCHEDULE, steps, { spacing, stepsOffset: STEPS_OFFSET, setAlphaToOne });
}

describe.each(KINDS)('%s plans equal the reference scheduler’s', (kind) => {
  it.each(SPACINGS)('%s spacing: the timesteps of every step count 1…150', (spacing) => {
    for (const n of STEP_COUNTS) {
      expect([n, Array.from(plan(kind, n, spacing).timesteps)]).toEqual([n, referencePlan(kind, n, spacing).timesteps]);
    }
  });

  it.each(SPACINGS)('%s spacing: ᾱ at each evaluation, ᾱ each step lands on and the scale of x_T, for 1…150 steps', (spacing) => {
    for (const n of STEP_COUNTS) {
      const actual = plan(kind, n, spacing);
      const expected = referencePlan(kind, n, spacing);
      expect({
        n,
        steps: actual.steps,
        evaluated: relativeDifference(actual.alphasCumprod, expected.evaluated) < 1e-12,
        landing: relativeDifference(actual.nextAlphasCumprod, expected.landing) < 1e-12,
        initialNoiseScale: Math.abs(actual.initialNoiseScale - expected.initialNoiseScale) < 1e-12,
      }).toEqual({ n, steps: expected.timesteps.length, evaluated: true, landing: true, initialNoiseScale: true });
    }
  });
});

describe('reference timesteps, spelled out', () => {
  const list = (kind: SamplerKind, n: number, spacing: TimestepSpacing) => Array.from(referenceTimesteps(kind, n, T, { spacing, stepsOffset: 1 }));

  it('leading, 25 steps: DDIM and Euler step by ⌊T/n⌋ = 40 (961, 921, …, 1), DPM-Solver by ⌊T/(n+1)⌋ = 38 (951, 913, …, 39)', () => {
    for (const kind of ['ddim', 'euler'] as const) expect(list(kind, 25, 'leading')).toEqual(Array.from({ length: 25 }, (_, i) => 961 - 40 * i));
    expect(list('dpm-solver++-2m', 25, 'leading')).toEqual(Array.from({ length: 25 }, (_, i) => 951 - 38 * i));
  });

  it('trailing rounds NumPy’s float arange half to even: 16 steps 999, 937, 874, 811; 48 steps reach 936, not 937 (937.4999…)', () => {
    expect(list('ddim', 16, 'trailing').slice(0, 6)).toEqual([999, 937, 874, 811, 749, 687]);
    for (const kind of KINDS) expect(list(kind, 48, 'trailing').slice(0, 5)).toEqual([999, 978, 957, 936, 916]);
  });

  it('trailing at 61 steps: Euler and DPM-Solver keep the reference’s extra evaluation at t = −1 (σ₀), DDIM leaves it out', () => {
    for (const kind of ['euler', 'dpm-solver++-2m'] as const) {
      const p = plan(kind, 61, 'trailing');
      expect([p.steps, Array.from(p.timesteps.slice(-3))]).toEqual([62, [32, 15, -1]]);
      expect(p.alphasCumprod[61]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[0]);
    }
    const ddim = plan('ddim', 61, 'trailing');
    expect([ddim.steps, ddim.timesteps[60]]).toEqual([61, 15]);
  });

  it('linspace: DDIM rounds (3 steps: 999, 500, 0), DPM-Solver spaces n + 1 and drops 0 (1 step: 999), Euler keeps fractions (957.375)', () => {
    expect(list('ddim', 3, 'linspace')).toEqual([999, 500, 0]);
    expect(list('dpm-solver++-2m', 1, 'linspace')).toEqual([999]);
    expect(list('euler', 25, 'linspace').slice(0, 3)).toEqual([999, 957.375, 915.75]);
  });
});

describe('final step and start', () => {
  it('DDIM lands on SD 1.5’s stock ᾱ_0 = 0.99915 by default and on ᾱ = 1 with setAlphaToOne', () => {
    expect(plan('ddim', 25, 'leading').nextAlphasCumprod[24]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[0]);
    expect(SD15_NOISE_SCHEDULE.alphasCumprod[0]).toBeCloseTo(0.99915, 12);
    expect(plan('ddim', 25, 'leading', true).nextAlphasCumprod[24]).toBe(1);
  });

  it('DDIM lands on t − ⌊T/n⌋ even where the next evaluation is elsewhere (13 trailing steps: 922 lands on 846, then evaluates at 845)', () => {
    const p = plan('ddim', 13, 'trailing');
    expect(Array.from(p.timesteps.slice(0, 3))).toEqual([999, 922, 845]);
    expect(p.nextAlphasCumprod[1]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[846]);
    expect(p.alphasCumprod[2]).toBe(SD15_NOISE_SCHEDULE.alphasCumprod[845]);
  });

  it('Euler and DPM-Solver land on σ = 0; Euler starts from σ_max·z (√(1 − ᾱ)·z here) except with leading spacing', () => {
    for (const kind of ['euler', 'dpm-solver++-2m'] as const) expect(plan(kind, 10, 'trailing').nextAlphasCumprod[9]).toBe(1);
    expect(plan('euler', 10, 'trailing').initialNoiseScale).toBeCloseTo(Math.sqrt(1 - SD15_NOISE_SCHEDULE.alphasCumprod[999]), 15);
    expect(plan('euler', 10, 'leading').initialNoiseScale).toBe(1);
    expect(plan('dpm-solver++-2m', 10, 'trailing').initialNoiseScale).toBe(1);
  });
});

describe('refusals', () => {
  it('rejects step counts outside 1…1000 and ones that leave the training range, naming steps', () => {
    for (const steps of [0, 2.5, 1001]) {
      let thrown: unknown;
      try {
        plan('ddim', steps, 'leading');
      } catch (error) {
        thrown = error;
      }
      expect(isFacexError(thrown, 'invalid_recipe') && thrown.details.field).toBe('steps');
    }
    // 1000 leading steps with offset 1 would reach t = 1000.
    expect(() => plan('ddim', 1000, 'leading')).toThrow(/training range/);
    // DPM-Solver at 1000 leading steps: ⌊1000/1001⌋ = 0 puts every step at t = 1, where h = 0.
    expect(() => plan('dpm-solver++-2m', 1000, 'leading')).toThrow(/repeat a noise level/);
  });
});
