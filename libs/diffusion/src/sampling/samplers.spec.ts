import { createSampler } from './create-sampler';
import { DdimSampler } from './ddim-sampler';
import { DpmSolver2mSampler } from './dpm-solver-2m-sampler';
import { EulerSampler } from './euler-sampler';
import { SD15_NOISE_SCHEDULE, sigmaFromAlphaCumprod } from './noise-schedule';
import type { Sampler, SamplerKind } from './sampler';
import { createSamplingPlan, type SamplingPlan, type TimestepSpacing } from './sampling-plan';
import { GaussianNoise } from './seeded-noise';
import { patternedValues } from './testing/sampling-fixtures';

const SIZE = 512;
const clean = patternedValues(SIZE, 7);
const noise = new GaussianNoise(5, 'initialLatents').fill(new Float32Array(SIZE));

function plan(kind: SamplerKind, steps: number, spacing: TimestepSpacing): SamplingPlan {
  return createSamplingPlan(kind, SD15_NOISE_SCHEDULE, steps, { spacing, stepsOffset: 1 });
}

/** √ᾱ·x₀ + √(1−ᾱ)·n: where the exact probability-flow trajectory of a fixed x₀ and noise n sits. */
function onTrajectory(alphaCumprod: number): Float32Array {
  return clean.map((x0, i) => Math.sqrt(alphaCumprod) * x0 + Math.sqrt(1 - alphaCumprod) * noise[i]);
}

/** The ε an ideal denoiser returns when the data is exactly `clean`. */
function oracleNoise(latents: Float32Array, alphaCumprod: number): Float32Array {
  return latents.map((x, i) => (x - Math.sqrt(alphaCumprod) * clean[i]) / Math.sqrt(1 - alphaCumprod));
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** A smooth, latent-dependent ε so the data prediction changes from step to step. */
function driftingNoise(latents: Float32Array, timestep: number): Float32Array {
  return latents.map((x, i) => 0.8 * x + 0.3 * Math.sin(i + timestep / 100));
}

function run(sampler: Sampler, start: Float32Array, predict: (x: Float32Array, step: number) => Float32Array): Float32Array[] {
  const latents = Float32Array.from(start);
  const states: Float32Array[] = [];
  for (let step = 0; step < sampler.plan.steps; step++) {
    sampler.step(latents, predict(latents, step), step);
    states.push(Float32Array.from(latents));
  }
  return states;
}

// DDIM with trailing or linspace spacing lands on t − ⌊T/n⌋, not always the next evaluation's timestep, so
// only its end is checked there.
describe.each<[SamplerKind, TimestepSpacing]>([
  ['ddim', 'leading'],
  ['euler', 'leading'],
  ['euler', 'trailing'],
  ['euler', 'linspace'],
  ['dpm-solver++-2m', 'leading'],
  ['dpm-solver++-2m', 'trailing'],
  ['dpm-solver++-2m', 'linspace'],
])('%s (%s spacing) with an ideal denoiser', (kind, spacing) => {
  it('stays on the exact trajectory √ᾱ·x₀ + √(1−ᾱ)·n at every step and ends on it', () => {
    const sampler = createSampler({ kind, steps: 12, spacing }, SD15_NOISE_SCHEDULE, SIZE, 3);
    const { alphasCumprod, nextAlphasCumprod } = sampler.plan;
    const states = run(sampler, onTrajectory(alphasCumprod[0]), (x, step) => oracleNoise(x, alphasCumprod[step]));
    states.forEach((state, step) => expect(maxAbsDifference(state, onTrajectory(nextAlphasCumprod[step]))).toBeLessThan(2e-5));
  });
});

describe.each<[SamplerKind, TimestepSpacing, boolean]>([
  ['ddim', 'leading', true],
  ['ddim', 'trailing', true],
  ['ddim', 'linspace', true],
  ['euler', 'linspace', false],
  ['dpm-solver++-2m', 'trailing', false],
])('%s (%s spacing, setAlphaToOne %s) with an ideal denoiser', (kind, spacing, setAlphaToOne) => {
  it('ends on x₀', () => {
    const sampler = createSampler({ kind, steps: 12, spacing, ...(setAlphaToOne ? { setAlphaToOne } : {}) }, SD15_NOISE_SCHEDULE, SIZE, 3);
    const { alphasCumprod } = sampler.plan;
    const states = run(sampler, onTrajectory(alphasCumprod[0]), (x, step) => oracleNoise(x, alphasCumprod[step]));
    expect(maxAbsDifference(states[11], clean)).toBeLessThan(2e-5);
  });
});

describe('DDIM', () => {
  it('with η = 0 is deterministic and ignores the seed', () => {
    const a = run(createSampler({ kind: 'ddim', steps: 10 }, SD15_NOISE_SCHEDULE, SIZE, 1), noise, (x, s) => driftingNoise(x, s));
    const b = run(createSampler({ kind: 'ddim', steps: 10 }, SD15_NOISE_SCHEDULE, SIZE, 2), noise, (x, s) => driftingNoise(x, s));
    expect(b).toEqual(a);
  });

  it('with η > 0 adds noise that the seed fixes bit for bit', () => {
    const make = (seed: number, eta: number) => createSampler({ kind: 'ddim', steps: 10, eta }, SD15_NOISE_SCHEDULE, SIZE, seed);
    const predict = (x: Float32Array, s: number) => driftingNoise(x, s);
    const first = run(make(11, 0.5), noise, predict);
    expect(run(make(11, 0.5), noise, predict)).toEqual(first);
    expect(maxAbsDifference(run(make(12, 0.5), noise, predict)[4], first[4])).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(run(make(11, 0), noise, predict)[4], first[4])).toBeGreaterThan(1e-3);
  });

  it('with η = 1 adds noise of standard deviation σ_η = √((1−ᾱ′)/(1−ᾱ))·√(1−ᾱ/ᾱ′)', () => {
    const size = 20000;
    const x0 = patternedValues(size, 3);
    const n = new GaussianNoise(8, 'initialLatents').fill(new Float32Array(size));
    const p = plan('ddim', 10, 'leading');
    const [a, next] = [p.alphasCumprod[3], p.nextAlphasCumprod[3]];
    const latents = x0.map((v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * n[i]);
    new DdimSampler(p, 1, new GaussianNoise(9, 'ddimEta')).step(latents, n, 3);
    const sigma = Math.sqrt((1 - next) / (1 - a)) * Math.sqrt(1 - a / next);
    const direction = Math.sqrt(1 - next - sigma * sigma);
    let sumSquares = 0;
    for (let i = 0; i < size; i++) {
      const residual = (latents[i] - Math.sqrt(next) * x0[i] - direction * n[i]) / sigma;
      sumSquares += residual * residual;
    }
    expect(Math.sqrt(sumSquares / size)).toBeCloseTo(1, 1);
  });
});

describe('Euler', () => {
  it('takes x̃′ = x̃ + (σ′ − σ)·ε in the σ-parameterisation, with model input x̃/√(σ²+1)', () => {
    const p = plan('euler', 5, 'leading');
    const latents = Float32Array.of(0.7, -1.2);
    const eps = Float32Array.of(0.3, 0.9);
    const expected = Array.from(latents).map((x, i) => {
      const sigma = sigmaFromAlphaCumprod(p.alphasCumprod[2]);
      const nextSigma = sigmaFromAlphaCumprod(p.nextAlphasCumprod[2]);
      const unscaled = x * Math.sqrt(sigma * sigma + 1) + (nextSigma - sigma) * eps[i];
      return unscaled / Math.sqrt(nextSigma * nextSigma + 1);
    });
    new EulerSampler(p).step(latents, eps, 2);
    expect(latents[0]).toBeCloseTo(expected[0], 6);
    expect(latents[1]).toBeCloseTo(expected[1], 6);
  });

  it('agrees with DDIM at η = 0 on one plan (the same update in other coordinates) to 1e-5', () => {
    const p = plan('euler', 15, 'trailing');
    const euler = run(new EulerSampler(p), noise, (x, s) => driftingNoise(x, s));
    const ddim = run(new DdimSampler(p, 0, new GaussianNoise(0, 'ddimEta')), noise, (x, s) => driftingNoise(x, s));
    for (let step = 0; step < 15; step++) expect(maxAbsDifference(euler[step], ddim[step])).toBeLessThan(1e-5);
  });
});

describe('DPM-Solver++ 2M', () => {
  it('matches the textbook multistep update (first order, then second order with D₁ = (D₀ − D_prev)/r)', () => {
    const p = plan('dpm-solver++-2m', 6, 'leading');
    const states = run(new DpmSolver2mSampler(p, SIZE), noise, (x, s) => driftingNoise(x, s));
    // Independent scalar reference, in the form the paper writes it.
    const alpha = (a: number) => Math.sqrt(a);
    const sigma = (a: number) => Math.sqrt(1 - a);
    const lambda = (a: number) => Math.log(alpha(a) / sigma(a));
    for (const i of [0, 7, 100]) {
      let x = noise[i];
      let previousData = 0;
      for (let step = 0; step < 6; step++) {
        const [a, next] = [p.alphasCumprod[step], step < 5 ? p.alphasCumprod[step + 1] : 1];
        const eps = 0.8 * x + 0.3 * Math.sin(i + step / 100);
        const data = (x - sigma(a) * eps) / alpha(a);
        if (step === 5) {
          x = data;
        } else {
          const h = lambda(next) - lambda(a);
          const firstOrder = (sigma(next) / sigma(a)) * x - alpha(next) * (Math.exp(-h) - 1) * data;
          if (step === 0) {
            x = firstOrder;
          } else {
            const r = (lambda(a) - lambda(p.alphasCumprod[step - 1])) / h;
            const d1 = (data - previousData) / r;
            x = firstOrder - 0.5 * alpha(next) * (Math.exp(-h) - 1) * d1;
          }
        }
        previousData = data;
        expect(states[step][i]).toBeCloseTo(x, 4);
      }
    }
  });

  it('refuses steps out of order, because it keeps the previous data prediction', () => {
    const sampler = new DpmSolver2mSampler(plan('dpm-solver++-2m', 6, 'leading'), SIZE);
    const latents = Float32Array.from(noise);
    sampler.step(latents, noise, 0);
    expect(() => sampler.step(latents, noise, 2)).toThrow(/in order/);
  });
});

describe('createSampler', () => {
  it('rejects η or setAlphaToOne for samplers other than DDIM, η outside 0…1, unknown kinds and spacings, naming the field', () => {
    const attempt = (settings: Parameters<typeof createSampler>[0]) => () => createSampler(settings, SD15_NOISE_SCHEDULE, SIZE, 1);
    expect(attempt({ kind: 'euler', steps: 10, eta: 0.5 })).toThrow(expect.objectContaining({ code: 'invalid_recipe', details: { field: 'sampler.eta' } }));
    expect(attempt({ kind: 'ddim', steps: 10, eta: 1.5 })).toThrow(expect.objectContaining({ details: { field: 'sampler.eta' } }));
    expect(attempt({ kind: 'plms' as SamplerKind, steps: 10 })).toThrow(expect.objectContaining({ details: { field: 'sampler.kind' } }));
    expect(attempt({ kind: 'ddim', steps: 10, spacing: 'karras' as TimestepSpacing })).toThrow(
      expect.objectContaining({ details: { field: 'sampler.spacing' } }),
    );
    expect(attempt({ kind: 'euler', steps: 10, setAlphaToOne: true })).toThrow(expect.objectContaining({ details: { field: 'sampler.setAlphaToOne' } }));
    expect(attempt({ kind: 'ddim', steps: 10, setAlphaToOne: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ details: { field: 'sampler.setAlphaToOne' } }),
    );
    expect(createSampler({ kind: 'ddim', steps: 10, spacing: 'linspace', setAlphaToOne: true }, SD15_NOISE_SCHEDULE, SIZE, 1).plan.nextAlphasCumprod[9]).toBe(
      1,
    );
  });
});
