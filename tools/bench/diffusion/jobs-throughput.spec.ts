import type { NoisePredictor, PredictorDims } from '@facex/diffusion';
import { parseBenchOptions } from './bench-grid';
import { TimedNoisePredictor, runJobs, samplingRequests, type JobsShape } from './jobs-throughput';

/** Predicts a fixed fraction of the latents: deterministic, and a batched sample equals the same sample alone. */
class ScalingPredictor implements NoisePredictor {
  async predict(latents: Float32Array, _timesteps: Float32Array, _context: Float32Array, _dims: PredictorDims): Promise<Float32Array> {
    return latents.map((value) => 0.1 * value);
  }
}

const shape: JobsShape = { latentSide: 8, tokens: 3, contextDim: 4, steps: 5 };
const jobs = parseBenchOptions({ jobs: '8', 'max-wait-ms': '0' }).jobs!;

describe('jobs through the ContinuousBatcher', () => {
  it('gives every job its own seed and guided context pair', () => {
    const requests = samplingRequests(jobs, shape);
    expect(requests).toHaveLength(8);
    expect(requests.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(requests[0]).toMatchObject({ height: 8, width: 8, guidanceScale: 7.5, sampler: { kind: 'dpm-solver++-2m', steps: 5 } });
    expect(requests[0]?.context.uncond).toHaveLength(12);
    expect(requests[0]?.context.cond).not.toEqual(requests[1]?.context.cond);
  });

  it('coalesces 8 concurrent guided jobs into one 16-sample call per step', async () => {
    const run = await runJobs(new ScalingPredictor(), jobs, shape, 'continuous batching');
    expect(run.callBatches).toEqual(Array<number>(5).fill(16));
    expect(run).toMatchObject({ mode: 'continuous batching', jobs: 8 });
  });

  it('runs the jobs one at a time as 2-sample calls, one per job and step', async () => {
    const run = await runJobs(new ScalingPredictor(), jobs, shape, 'one at a time');
    expect(run.callBatches).toEqual(Array<number>(40).fill(2));
  });

  it('splits a step into several calls when maxBatch holds fewer jobs', async () => {
    const run = await runJobs(new ScalingPredictor(), { ...jobs, maxBatch: 8 }, shape, 'continuous batching');
    expect(run.callBatches).toEqual(Array<number>(10).fill(8));
  });

  it('records the size and duration of each call it passes on', async () => {
    const timed = new TimedNoisePredictor(new ScalingPredictor());
    const dims: PredictorDims = { batch: 2, height: 1, width: 1, tokens: 1, contextDim: 1 };
    const noise = await timed.predict(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), new Float32Array(2), new Float32Array(2), dims);
    expect(noise[1]).toBeCloseTo(0.2, 6);
    expect(timed.calls).toHaveLength(1);
    expect(timed.calls[0]?.batch).toBe(2);
    expect(timed.calls[0]?.ms).toBeGreaterThanOrEqual(0);
  });
});
