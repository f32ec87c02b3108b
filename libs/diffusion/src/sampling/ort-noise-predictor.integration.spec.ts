/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import * as ort from 'onnxruntime-node';
import { ContinuousBatcher } from '../batching/continuous-batcher';
import { buildUNetGraph } from '../graphs/unet';
import { TINY_UNET } from '../graphs/unet-config';
import { DEFAULT_GRAPH_OPTIONS } from '../graphs/graph-options';
import { RandomWeightSource, WeightScope } from '../weights/weight-source';
import { OrtNoisePredictor } from './ort-noise-predictor';
import type { SamplingRequest } from './sampling-request';
import { makeRequest, patternedValues } from './testing/sampling-fixtures';

const SIDE = 16;
const TOKENS = 3;

function tinyUNetJob(salt: number, overrides: Partial<SamplingRequest>): SamplingRequest {
  const dim = TINY_UNET.contextWidth;
  const context = { cond: patternedValues(TOKENS * dim, salt), uncond: new Float32Array(TOKENS * dim), tokens: TOKENS, dim };
  return makeRequest({ height: SIDE, width: SIDE, context, ...overrides }, salt);
}

describe('OrtNoisePredictor with the tiny random U-Net', () => {
  let session: ort.InferenceSession;

  beforeAll(async () => {
    const source = new RandomWeightSource(7);
    const { model } = buildUNetGraph(TINY_UNET, { unet: new WeightScope(source, 'model.diffusion_model.'), frc: null }, DEFAULT_GRAPH_OPTIONS);
    session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  });

  afterAll(async () => {
    await session.release();
  });

  it('gives coalesced jobs the latents each gets alone, to within 1e-5 (batched vs single ORT kernels)', async () => {
    const jobs = [
      tinyUNetJob(1, { sampler: { kind: 'ddim', steps: 4 } }),
      tinyUNetJob(2, { sampler: { kind: 'dpm-solver++-2m', steps: 3, spacing: 'trailing' }, guidanceScale: 1 }),
      tinyUNetJob(3, { sampler: { kind: 'euler', steps: 5 }, guidanceScale: 7.5 }),
    ];
    const predictor = new OrtNoisePredictor(session);
    const alone: Float32Array[] = [];
    for (const job of jobs) alone.push((await new ContinuousBatcher(predictor, { maxBatch: 2, maxWaitMs: 0 }).submit(job)).latents);
    const batcher = new ContinuousBatcher(predictor, { maxBatch: 8, maxWaitMs: 0 });
    const batched = await Promise.all(jobs.map((job) => batcher.submit(job)));
    let maxDifference = 0;
    batched.forEach((result, j) => {
      for (let i = 0; i < result.latents.length; i++) maxDifference = Math.max(maxDifference, Math.abs(result.latents[i] - alone[j][i]));
      expect(result.latents.every(Number.isFinite)).toBe(true);
    });
    expect(maxDifference).toBeLessThan(1e-5);
  });
});
