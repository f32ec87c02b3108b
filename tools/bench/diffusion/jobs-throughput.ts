/**
 * Guided sampling jobs through the production ContinuousBatcher and samplers on one U-Net predictor: all
 * submitted together (the batcher coalesces their steps), or one after another. Only the FORS context and
 * the VAE are left out: each job gets a fixed context instead of a FORS output and ends at its latents.
 */
import { ContinuousBatcher, type NoisePredictor, type PredictorDims, type SamplingRequest } from '@facex/diffusion';
import type { JobsOptions } from './bench-grid';
import type { JobsMode, JobsRun } from './jobs-report';

/** Passes calls through and records each call's samples and wall time. */
export class TimedNoisePredictor implements NoisePredictor {
  readonly calls: Array<{ batch: number; ms: number }> = [];

  constructor(private readonly inner: NoisePredictor) {}

  async predict(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Promise<Float32Array> {
    const started = performance.now();
    try {
      return await this.inner.predict(latents, timesteps, context, dims);
    } finally {
      this.calls.push({ batch: dims.batch, ms: performance.now() - started });
    }
  }
}

export interface JobsShape {
  latentSide: number;
  tokens: number;
  contextDim: number;
  steps: number;
}

/** Job i: seed i, its own conditional context and a null context (guidance on, so two samples per step). */
export function samplingRequests(options: JobsOptions, shape: JobsShape): SamplingRequest[] {
  const size = shape.tokens * shape.contextDim;
  return Array.from({ length: options.jobs }, (_, job) => ({
    height: shape.latentSide,
    width: shape.latentSide,
    context: {
      cond: Float32Array.from({ length: size }, (_, i) => Math.sin(0.05 * i + job)),
      uncond: Float32Array.from({ length: size }, (_, i) => 0.1 * Math.cos(0.07 * i)),
      tokens: shape.tokens,
      dim: shape.contextDim,
    },
    guidanceScale: options.guidance,
    sampler: { kind: options.sampler, steps: shape.steps },
    seed: job,
  }));
}

/**
 * Runs the jobs and reports wall time and the calls the batcher made. One at a time, the batcher gets no
 * hold (maxWaitMs 0): nothing else can arrive, so waiting would only slow the baseline.
 */
export async function runJobs(predictor: NoisePredictor, options: JobsOptions, shape: JobsShape, mode: JobsMode): Promise<JobsRun> {
  const timed = new TimedNoisePredictor(predictor);
  const batcher = new ContinuousBatcher(timed, { maxBatch: options.maxBatch, maxWaitMs: mode === 'continuous batching' ? options.maxWaitMs : 0 });
  const requests = samplingRequests(options, shape);
  const started = performance.now();
  if (mode === 'continuous batching') {
    await Promise.all(requests.map((request) => batcher.submit(request)));
  } else {
    for (const request of requests) await batcher.submit(request);
  }
  const wallMs = performance.now() - started;
  return {
    mode,
    jobs: options.jobs,
    wallMs,
    callBatches: timed.calls.map((call) => call.batch),
    unetMs: timed.calls.reduce((sum, call) => sum + call.ms, 0),
  };
}
