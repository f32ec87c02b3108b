/**
 * The reference the samplers are tested against: diffusers' DDIMScheduler, DPMSolverMultistepScheduler
 * (dpmsolver++, order 2, midpoint, lower_order_final, final_sigmas_type "zero") and EulerDiscreteScheduler,
 * `set_timesteps` and `step`, with SD 1.5's stock config (T = 1000, scaled_linear 0.00085…0.012,
 * steps_offset 1, set_alpha_to_one false, epsilon prediction), rewritten from their formulas in NumPy's
 * float64 arithmetic and each scheduler's own coordinates, independently of the code under test (types only).
 */
import type { SamplerKind } from '../sampler';
import type { TimestepSpacing } from '../sampling-plan';

export const T = 1000;
export const STEPS_OFFSET = 1;

const numpy = {
  /** np.arange for floats: the length is ceil((stop - start) / step); C fills value k as start + k * (value1 - start). */
  arange(start: number, stop: number, step: number): number[] {
    const length = Math.max(0, Math.ceil((stop - start) / step));
    const second = start + step;
    return Array.from({ length }, (_, k) => (k === 0 ? start : k === 1 ? second : start + k * (second - start)));
  },
  /** np.linspace(start, stop, num): arange(num) * ((stop - start) / (num - 1)) + start, the last set to stop. */
  linspace(start: number, stop: number, num: number): number[] {
    if (num === 1) return [start];
    const step = (stop - start) / (num - 1);
    return Array.from({ length: num }, (_, k) => (k === num - 1 ? stop : k * step + start));
  },
  /** np.round: halves go to the even neighbour. */
  round(x: number): number {
    return x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
  },
  /** np.interp over xp = 0, 1, …, fp.length − 1, clamped at both ends. */
  interp(x: number, fp: readonly number[]): number {
    if (x <= 0) return fp[0];
    if (x >= fp.length - 1) return fp[fp.length - 1];
    const j = Math.floor(x);
    return x === j ? fp[j] : (fp[j + 1] - fp[j]) * (x - j) + fp[j];
  },
};

/** betas = linspace(√0.00085, √0.012, 1000)², alphas_cumprod = cumprod(1 − betas). */
export const alphasCumprod: number[] = (() => {
  const roots = numpy.linspace(Math.sqrt(0.00085), Math.sqrt(0.012), T);
  let product = 1;
  return roots.map((root) => (product *= 1 - root * root));
})();
const sigmas = alphasCumprod.map((a) => Math.sqrt((1 - a) / a));

/** The timesteps each reference scheduler's set_timesteps produces, as it produces them. */
export function referenceList(kind: SamplerKind, n: number, spacing: TimestepSpacing): number[] {
  const descending = (values: number[]) => values.slice().reverse();
  if (spacing === 'trailing') return numpy.arange(T, 0, -T / n).map((value) => numpy.round(value) - 1);
  if (kind === 'dpm-solver++-2m') {
    if (spacing === 'leading') {
      const ratio = Math.floor(T / (n + 1));
      return descending(numpy.arange(0, n + 1, 1).map((k) => numpy.round(k * ratio)))
        .slice(0, -1)
        .map((t) => t + STEPS_OFFSET);
    }
    return descending(numpy.linspace(0, T - 1, n + 1).map(numpy.round)).slice(0, -1);
  }
  if (spacing === 'leading') {
    const ratio = Math.floor(T / n);
    return descending(numpy.arange(0, n, 1).map((k) => numpy.round(k * ratio) + STEPS_OFFSET));
  }
  // DDIM rounds to int64; Euler keeps float32 values.
  return descending(numpy.linspace(0, T - 1, n).map(kind === 'ddim' ? numpy.round : Math.fround));
}

export interface ReferencePlan {
  readonly timesteps: number[];
  /** ᾱ at each evaluation. */
  readonly evaluated: number[];
  /** ᾱ each step lands on. */
  readonly landing: number[];
  /** x_T over standard normal z, in the model-input coordinates. */
  readonly initialNoiseScale: number;
  /** Euler and DPM-Solver: σ at each evaluation and the final 0. */
  readonly sigmas: number[];
}

/** What the reference scheduler does with that list: ᾱ at each evaluation, the ᾱ each step lands on, x_T's scale. */
export function referencePlan(kind: SamplerKind, n: number, spacing: TimestepSpacing, setAlphaToOne = false): ReferencePlan {
  let timesteps = referenceList(kind, n, spacing);
  if (kind === 'ddim') {
    // DDIMScheduler would index alphas_cumprod[−1] at the extra trailing t = −1 (61, 103, 121, 122 steps) and
    // return noise; FaceX documents and leaves out that evaluation.
    timesteps = timesteps.slice(0, n);
    const final = setAlphaToOne ? 1 : alphasCumprod[0];
    const prev = (t: number) => t - Math.floor(T / n);
    return {
      timesteps,
      evaluated: timesteps.map((t) => alphasCumprod[t]),
      landing: timesteps.map((t) => (prev(t) >= 0 ? alphasCumprod[prev(t)] : final)),
      initialNoiseScale: 1,
      sigmas: [],
    };
  }
  // σ-based schedulers: sigmas = interp(timesteps, arange(T), σ table) followed by the final σ = 0.
  const planSigmas = [...timesteps.map((t) => numpy.interp(t, sigmas)), 0];
  const alphaFromSigma = (sigma: number) => 1 / (1 + sigma * sigma);
  // x_T = init_noise_sigma·z, then the model input x/√(σ²+1) (Euler's scale_model_input; DPM-Solver has neither).
  const sigmaMax = Math.max(...planSigmas);
  const initNoiseSigma = kind === 'euler' ? (spacing === 'leading' ? Math.sqrt(sigmaMax ** 2 + 1) : sigmaMax) : 1;
  const inputScale = kind === 'euler' ? 1 / Math.sqrt(planSigmas[0] ** 2 + 1) : 1;
  return {
    timesteps,
    evaluated: planSigmas.slice(0, -1).map(alphaFromSigma),
    landing: planSigmas.slice(1).map(alphaFromSigma),
    initialNoiseScale: initNoiseSigma * inputScale,
    sigmas: planSigmas,
  };
}

/** ε from the model input x at timestep t. */
export type EpsilonPredictor = (modelInput: Float32Array, timestep: number) => Float32Array;

/**
 * One reference sampling run from standard normal z (η = 0): the model input after every step, the last
 * being the result the pipeline decodes.
 */
export function referenceRun(kind: SamplerKind, plan: ReferencePlan, z: Float32Array, predict: EpsilonPredictor, setAlphaToOne = false): Float32Array[] {
  if (kind === 'ddim') return ddimRun(plan, z, predict, setAlphaToOne);
  return kind === 'euler' ? eulerRun(plan, z, predict) : dpmSolverRun(plan, z, predict);
}

/** DDIMScheduler.step: x₀ = (x − √(1−a)·ε)/√a, x' = √a'·x₀ + √(1−a')·ε, a' = ᾱ(t − ⌊T/n⌋) or the final ᾱ. */
function ddimRun(plan: ReferencePlan, z: Float32Array, predict: EpsilonPredictor, setAlphaToOne: boolean): Float32Array[] {
  const n = plan.timesteps.length;
  const final = setAlphaToOne ? 1 : alphasCumprod[0];
  let x = Float32Array.from(z);
  const states: Float32Array[] = [];
  for (const t of plan.timesteps) {
    const eps = predict(x, t);
    const prevT = t - Math.floor(T / n);
    const a = alphasCumprod[t];
    const aPrev = prevT >= 0 ? alphasCumprod[prevT] : final;
    x = x.map((xi, i) => {
      const x0 = (xi - Math.sqrt(1 - a) * eps[i]) / Math.sqrt(a);
      return Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps[i];
    });
    states.push(x);
  }
  return states;
}

/**
 * EulerDiscreteScheduler: the sample s = init_noise_sigma·z lives in σ-coordinates, the model sees
 * s/√(σ²+1), and s' = s + (s − x₀)/σ·(σ' − σ) with x₀ = s − σ·ε.
 */
function eulerRun(plan: ReferencePlan, z: Float32Array, predict: EpsilonPredictor): Float32Array[] {
  const { sigmas } = plan;
  const inputScale = (sigma: number) => 1 / Math.sqrt(sigma * sigma + 1);
  // initialNoiseScale is init_noise_sigma in model-input coordinates; back to σ-coordinates.
  let s = z.map((zi) => (zi * plan.initialNoiseScale) / inputScale(sigmas[0]));
  const states: Float32Array[] = [];
  plan.timesteps.forEach((t, i) => {
    const sigma = sigmas[i];
    const eps = predict(
      s.map((si) => si * inputScale(sigma)),
      t,
    );
    s = s.map((si, k) => {
      const x0 = si - sigma * eps[k];
      return si + ((si - x0) / sigma) * (sigmas[i + 1] - sigma);
    });
    states.push(s.map((si) => si * inputScale(sigmas[i + 1])));
  });
  return states;
}

/**
 * DPMSolverMultistepScheduler (dpmsolver++, midpoint): α_t = 1/√(σ²+1), σ_t = σ·α_t, λ = log α_t − log σ_t;
 * first order on the first step and on the last (final σ = 0), second order with D₁ = (m₀ − m₁)/r₀ between.
 */
function dpmSolverRun(plan: ReferencePlan, z: Float32Array, predict: EpsilonPredictor): Float32Array[] {
  const { sigmas } = plan;
  const alphaT = (sigma: number) => 1 / Math.sqrt(sigma * sigma + 1);
  const sigmaT = (sigma: number) => sigma * alphaT(sigma);
  const lambda = (sigma: number) => Math.log(alphaT(sigma)) - Math.log(sigmaT(sigma));
  const n = plan.timesteps.length;
  let x = Float32Array.from(z);
  let previousData: Float32Array | undefined;
  const states: Float32Array[] = [];
  plan.timesteps.forEach((t, i) => {
    const eps = predict(x, t);
    const [s0, next] = [sigmas[i], sigmas[i + 1]];
    const data = x.map((xi, k) => (xi - sigmaT(s0) * eps[k]) / alphaT(s0));
    const h = lambda(next) - lambda(s0);
    const firstOrder = (xi: number, k: number) => (sigmaT(next) / sigmaT(s0)) * xi - alphaT(next) * (Math.exp(-h) - 1) * data[k];
    if (previousData === undefined || i === n - 1) {
      x = x.map(firstOrder);
    } else {
      const r0 = (lambda(s0) - lambda(sigmas[i - 1])) / h;
      const m1 = previousData;
      x = x.map((xi, k) => firstOrder(xi, k) - 0.5 * alphaT(next) * (Math.exp(-h) - 1) * ((data[k] - m1[k]) / r0));
    }
    previousData = data;
    states.push(x);
  });
  return states;
}
