import { SD15_NOISE_SCHEDULE } from './noise-schedule';
import type { SamplerKind } from './sampler';
import type { TimestepSpacing } from './sampling-plan';
import { SamplingTrajectory } from './sampling-trajectory';
import { GaussianNoise } from './seeded-noise';
import { patternedValues } from './testing/sampling-fixtures';
import { referencePlan, referenceRun } from './testing/reference-schedulers';
import { standInNoise } from './testing/stand-in-predictor';

/*
 * Whole runs of each sampler against the reference scheduler's loop (testing/reference-schedulers.ts), both
 * driven by the stand-in U-Net from the same standard normal noise, unguided. Step counts cover one step, the
 * lower-order-final range of DPM-Solver (< 15), a count whose trailing spacing rounds on NumPy's last bit (48)
 * and one where the reference makes an extra evaluation at t = −1 (61).
 */
const HEIGHT = 4;
const WIDTH = 3;
const TOKENS = 2;
const DIM = 3;
const cond = patternedValues(TOKENS * DIM, 5);
const z = new GaussianNoise(77, 'initialLatents').fill(new Float32Array(4 * HEIGHT * WIDTH));

const predict = (latents: Float32Array, timestep: number): Float32Array =>
  standInNoise(latents, Float32Array.of(timestep), cond, { batch: 1, height: HEIGHT, width: WIDTH, tokens: TOKENS, contextDim: DIM });

/** The latents after every step of one FaceX sampling run. */
function faceXRun(kind: SamplerKind, steps: number, spacing: TimestepSpacing, setAlphaToOne: boolean): Float32Array[] {
  const trajectory = new SamplingTrajectory(
    {
      height: HEIGHT,
      width: WIDTH,
      context: { cond, tokens: TOKENS, dim: DIM },
      guidanceScale: 1,
      sampler: { kind, steps, spacing, ...(setAlphaToOne ? { setAlphaToOne } : {}) },
      seed: 1,
      initialLatents: z,
    },
    SD15_NOISE_SCHEDULE,
  );
  const states: Float32Array[] = [];
  while (!trajectory.done) {
    trajectory.advance(predict(trajectory.latents, trajectory.timestep));
    states.push(Float32Array.from(trajectory.latents));
  }
  return states;
}

function worstDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const CASES: Array<[SamplerKind, boolean]> = [
  ['ddim', false],
  ['ddim', true],
  ['dpm-solver++-2m', false],
  ['euler', false],
];
const SPACINGS: readonly TimestepSpacing[] = ['leading', 'trailing', 'linspace'];
const STEP_COUNTS = [1, 2, 3, 7, 14, 15, 25, 48, 61];

describe.each(CASES)('%s (setAlphaToOne %s) follows the reference scheduler step by step', (kind, setAlphaToOne) => {
  it.each(SPACINGS)('%s spacing, 1…61 steps: every state within 2e-5 of the reference', (spacing) => {
    for (const steps of STEP_COUNTS) {
      const expected = referenceRun(kind, referencePlan(kind, steps, spacing, setAlphaToOne), z, predict, setAlphaToOne);
      const actual = faceXRun(kind, steps, spacing, setAlphaToOne);
      const worst = actual.length === expected.length ? Math.max(...actual.map((state, i) => worstDifference(state, expected[i]))) : Infinity;
      expect({ steps, evaluations: actual.length, close: worst < 2e-5 }).toEqual({ steps, evaluations: expected.length, close: true });
    }
  });
});
