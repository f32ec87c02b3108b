import type { NoisePredictor, PredictorDims } from '../sampling/noise-predictor';

/** How the batcher has used the U-Net so far: calls, samples, and how full the calls were. */
export interface BatcherStats {
  predictorCalls: number;
  samplesEvaluated: number;
  largestCall: number;
}

/** A NoisePredictor that counts what passes through it (worker metrics, and the batching tests). */
export class CountingNoisePredictor implements NoisePredictor {
  private readonly counts: BatcherStats = { predictorCalls: 0, samplesEvaluated: 0, largestCall: 0 };

  constructor(private readonly inner: NoisePredictor) {}

  get stats(): BatcherStats {
    return { ...this.counts };
  }

  predict(latents: Float32Array, timesteps: Float32Array, context: Float32Array, dims: PredictorDims): Promise<Float32Array> {
    this.counts.predictorCalls++;
    this.counts.samplesEvaluated += dims.batch;
    this.counts.largestCall = Math.max(this.counts.largestCall, dims.batch);
    return this.inner.predict(latents, timesteps, context, dims);
  }
}
