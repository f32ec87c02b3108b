import { isFacexError } from '@facex/contracts';
import { LATENT_CHANNELS } from './noise-predictor';
import { SD15_NOISE_SCHEDULE } from './noise-schedule';
import { createSamplingPlan, SD15_TIMESTEP_SPACING } from './sampling-plan';
import { GaussianNoise } from './seeded-noise';
import type { SamplerKind } from './sampler';
import type { SamplingRequest } from './sampling-request';
import { SamplingTrajectory } from './sampling-trajectory';
import { latentSize, makeRequest, patternedValues } from './testing/sampling-fixtures';
import { standInNoise } from './testing/stand-in-predictor';

/** Runs one job with the stand-in model, one evaluation per step, calling `afterStep` after each. */
function sampleAlone(request: SamplingRequest, afterStep: (trajectory: SamplingTrajectory) => void = () => undefined): Float32Array {
  const trajectory = new SamplingTrajectory(request, SD15_NOISE_SCHEDULE);
  const { tokens, dim } = request.context;
  while (!trajectory.done) {
    const predict = (context: Float32Array) =>
      standInNoise(trajectory.latents, Float32Array.of(trajectory.timestep), context, {
        batch: 1,
        height: request.height,
        width: request.width,
        tokens,
        contextDim: dim,
      });
    const [condNoise, uncondNoise] = trajectory.contexts.map(predict);
    trajectory.advance(condNoise, uncondNoise);
    afterStep(trajectory);
  }
  return trajectory.latents;
}

describe('SamplingTrajectory', () => {
  it.each<SamplerKind>(['ddim', 'euler', 'dpm-solver++-2m'])('%s: one seed gives the same latents bit for bit, another seed others', (kind) => {
    const request = makeRequest({ sampler: { kind, steps: 10 } });
    const first = sampleAlone(request);
    expect(sampleAlone(request)).toEqual(first);
    const other = sampleAlone({ ...request, seed: request.seed + 1 });
    expect(other).not.toEqual(first);
    expect(first.every(Number.isFinite)).toBe(true);
  });

  it('draws x_T from the seed unless initial latents are given', () => {
    const request = makeRequest();
    const given = patternedValues(latentSize(request), 4);
    expect(new SamplingTrajectory(request, SD15_NOISE_SCHEDULE).latents).toEqual(new SamplingTrajectory(request, SD15_NOISE_SCHEDULE).latents);
    expect(new SamplingTrajectory({ ...request, initialLatents: given }, SD15_NOISE_SCHEDULE).latents).toEqual(given);
  });

  it('starts Euler with trailing or linspace spacing from √(1 − ᾱ_T)·z, as EulerDiscreteScheduler starts from σ_max·z', () => {
    const request = makeRequest({ sampler: { kind: 'euler', steps: 10, spacing: 'trailing' } });
    const given = patternedValues(latentSize(request), 4);
    const scale = Math.sqrt(1 - SD15_NOISE_SCHEDULE.alphasCumprod[999]);
    expect(new SamplingTrajectory({ ...request, initialLatents: given }, SD15_NOISE_SCHEDULE).latents).toEqual(given.map((v) => v * scale));
  });

  it('evaluates the unconditional half only when guidance is not 1, and then uses it', () => {
    const unguided = makeRequest({ guidanceScale: 1, context: { cond: patternedValues(12, 2), tokens: 3, dim: 4 } });
    expect(new SamplingTrajectory(unguided, SD15_NOISE_SCHEDULE).samplesPerEvaluation).toBe(1);
    const guided = makeRequest({ guidanceScale: 7.5 });
    expect(new SamplingTrajectory(guided, SD15_NOISE_SCHEDULE).samplesPerEvaluation).toBe(2);
    expect(sampleAlone(guided)).not.toEqual(sampleAlone({ ...guided, guidanceScale: 1 }));
  });

  it('counts steps and refuses to step past the end', () => {
    const trajectory = new SamplingTrajectory(makeRequest({ guidanceScale: 1, sampler: { kind: 'euler', steps: 2 } }), SD15_NOISE_SCHEDULE);
    const zero = new Float32Array(trajectory.latents.length);
    expect([trajectory.timestep, trajectory.completedSteps]).toEqual([501, 0]);
    trajectory.advance(zero);
    trajectory.advance(zero);
    expect([trajectory.completedSteps, trajectory.done]).toEqual([2, true]);
    expect(() => trajectory.advance(zero)).toThrow(RangeError);
  });

  it('rejects malformed requests with typed errors naming the field', () => {
    const fieldOf = (request: SamplingRequest): unknown => {
      try {
        new SamplingTrajectory(request, SD15_NOISE_SCHEDULE);
      } catch (error) {
        return isFacexError(error) ? error.details.field : error;
      }
      return 'no error';
    };
    const base = makeRequest();
    expect(fieldOf({ ...base, height: 0 })).toBe('height');
    expect(fieldOf({ ...base, guidanceScale: Number.NaN })).toBe('guidanceScale');
    expect(fieldOf({ ...base, context: { ...base.context, uncond: undefined } })).toBe('context.uncond');
    expect(fieldOf({ ...base, context: { ...base.context, cond: new Float32Array(5) } })).toBe('context.cond');
    expect(fieldOf({ ...base, initialLatents: new Float32Array(3) })).toBe('initialLatents');
    expect(fieldOf({ ...base, sampler: { kind: 'ddim', steps: 0 } })).toBe('steps');
    expect(fieldOf({ ...base, seed: -4 })).toBe('seed');
  });
});

describe('masked fusion', () => {
  const height = 6;
  const width = 5;
  const plane = height * width;
  const target = patternedValues(LATENT_CHANNELS * plane, 9);
  // Generate in the left two columns (soft edge in column 2), keep the target elsewhere.
  const mask = new Float32Array(plane).map((_, p) => [1, 1, 0.5, 0, 0][p % width]);

  it.each<SamplerKind>(['ddim', 'euler', 'dpm-solver++-2m'])(
    '%s: where the mask is 0 the final latents equal the target exactly; where it is 1 they are generated',
    (kind) => {
      const request = makeRequest({ sampler: { kind, steps: 8, ...(kind === 'ddim' ? { eta: 0.3 } : {}) }, fusion: { targetLatents: target, mask } });
      const result = sampleAlone(request);
      for (let c = 0; c < LATENT_CHANNELS; c++) {
        for (let p = 0; p < plane; p++) {
          const i = c * plane + p;
          if (mask[p] === 0) expect(result[i]).toBe(target[i]);
          if (mask[p] === 1) expect(Math.abs(result[i] - target[i])).toBeGreaterThan(1e-6);
        }
      }
    },
  );

  it('after every step holds the target noised to the next evaluation’s ᾱ outside the mask (clean after the last), with the seeded fusion noise', () => {
    const request = makeRequest({ fusion: { targetLatents: target, mask } });
    const plan = createSamplingPlan(request.sampler.kind, SD15_NOISE_SCHEDULE, request.sampler.steps, SD15_TIMESTEP_SPACING);
    const fusionNoise = new GaussianNoise(request.seed, 'fusion').fill(new Float32Array(target.length));
    let checked = 0;
    sampleAlone(request, (trajectory) => {
      const alphaCumprod = trajectory.done ? 1 : plan.alphasCumprod[trajectory.completedSteps];
      for (let i = 0; i < target.length; i++) {
        if (mask[i % plane] !== 0) continue;
        const expected = Math.fround(Math.sqrt(alphaCumprod) * target[i] + Math.sqrt(1 - alphaCumprod) * fusionNoise[i]);
        expect(trajectory.latents[i]).toBe(expected);
        checked++;
      }
    });
    expect(checked).toBe(8 * LATENT_CHANNELS * height * 2);
  });

  it('rejects a mask of the wrong size or with values outside 0…1, naming the field', () => {
    const attempt = (fusionMask: Float32Array) => () =>
      new SamplingTrajectory(makeRequest({ fusion: { targetLatents: target, mask: fusionMask } }), SD15_NOISE_SCHEDULE);
    expect(attempt(new Float32Array(plane - 1))).toThrow(expect.objectContaining({ code: 'invalid_representation', details: { field: 'fusion.mask' } }));
    expect(attempt(new Float32Array(plane).fill(1.5))).toThrow(expect.objectContaining({ details: { field: 'fusion.mask' } }));
    expect(() => new SamplingTrajectory(makeRequest({ fusion: { targetLatents: new Float32Array(5), mask } }), SD15_NOISE_SCHEDULE)).toThrow(
      expect.objectContaining({ details: { field: 'fusion.targetLatents' } }),
    );
  });
});
