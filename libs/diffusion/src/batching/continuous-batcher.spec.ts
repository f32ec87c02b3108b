import { LATENT_CHANNELS } from '../sampling/noise-predictor';
import type { SamplingRequest } from '../sampling/sampling-request';
import { makeRequest, patternedValues } from '../sampling/testing/sampling-fixtures';
import { StandInPredictor, type StandInOptions } from '../sampling/testing/stand-in-predictor';
import { ContinuousBatcher, type SampledLatents, type SamplingProgress } from './continuous-batcher';

/** The reference: a job run on its own batcher, so every call holds that job alone. */
function runAlone(request: SamplingRequest): Promise<SampledLatents> {
  return new ContinuousBatcher(new StandInPredictor(), { maxBatch: 2, maxWaitMs: 0 }).submit(request);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Five jobs of one shape group with every sampler, guided and unguided, different step counts and a fusion. */
function mixedJobs(): SamplingRequest[] {
  const height = 6;
  const width = 5;
  const plane = height * width;
  return [
    makeRequest({ sampler: { kind: 'ddim', steps: 8, eta: 0.4 } }, 1),
    makeRequest({ sampler: { kind: 'euler', steps: 6, spacing: 'trailing' }, guidanceScale: 1 }, 2),
    makeRequest({ sampler: { kind: 'dpm-solver++-2m', steps: 10 }, guidanceScale: 7.5 }, 3),
    makeRequest(
      {
        sampler: { kind: 'dpm-solver++-2m', steps: 7, spacing: 'trailing' },
        fusion: { targetLatents: patternedValues(LATENT_CHANNELS * plane, 4), mask: new Float32Array(plane).map((_, p) => (p < 12 ? 1 : 0)) },
      },
      4,
    ),
    makeRequest({ sampler: { kind: 'ddim', steps: 9 } }, 5),
  ];
}

function batcherWith(options: StandInOptions, maxBatch: number, maxWaitMs: number) {
  const predictor = new StandInPredictor(options);
  return { predictor, batcher: new ContinuousBatcher(predictor, { maxBatch, maxWaitMs }) };
}

describe('ContinuousBatcher', () => {
  it('returns for each of several coalesced jobs exactly (tolerance 0) what the job gives run alone', async () => {
    const jobs = mixedJobs();
    const alone = await Promise.all(jobs.map(runAlone));
    const { predictor, batcher } = batcherWith({}, 16, 0);
    const batched = await Promise.all(jobs.map((job) => batcher.submit(job)));
    batched.forEach((result, i) => expect(result.latents).toEqual(alone[i].latents));
    // They really shared calls: 4 guided + 1 unguided job = 9 samples, at per-sample timesteps.
    expect(predictor.calls[0].dims.batch).toBe(9);
    expect(predictor.calls.length).toBe(10);
    expect(new Set(predictor.calls[5].timesteps).size).toBeGreaterThan(1);
    expect(batcher.activeJobs).toBe(0);
  });

  it('lets a job join between steps of running jobs; it is evaluated in the next call and finishes correctly', async () => {
    const [first, late] = [makeRequest({ sampler: { kind: 'dpm-solver++-2m', steps: 10 } }, 1), makeRequest({ sampler: { kind: 'euler', steps: 5 } }, 2)];
    const { predictor, batcher } = batcherWith({ delayMs: 5 }, 8, 0);
    const joined: { result?: Promise<SampledLatents> } = {};
    let callsBeforeJoin = 0;
    const firstResult = batcher.submit(first, {
      onProgress: ({ step }) => {
        if (step !== 3) return;
        callsBeforeJoin = predictor.calls.length;
        joined.result = batcher.submit(late);
      },
    });
    expect((await firstResult).latents).toEqual((await runAlone(first)).latents);
    expect(joined.result).toBeDefined();
    expect((await joined.result)?.latents).toEqual((await runAlone(late)).latents);
    const joinedCall = predictor.calls[callsBeforeJoin];
    expect(joinedCall.dims.batch).toBe(4);
    // Never-served jobs go first. Leading spacing: the newcomer (Euler) is at its first of 801, 601, …; the
    // running job (DPM-Solver, steps of ⌊1000/11⌋) at its 4th of 901, 811, 721, 631, ….
    expect(joinedCall.timesteps).toEqual([801, 801, 631, 631]);
  });

  it('never puts more samples in a call than maxBatch, and serves every job round-robin', async () => {
    const jobs = mixedJobs();
    const alone = await Promise.all(jobs.map(runAlone));
    const { predictor, batcher } = batcherWith({}, 4, 0);
    const batched = await Promise.all(jobs.map((job) => batcher.submit(job)));
    batched.forEach((result, i) => expect(result.latents).toEqual(alone[i].latents));
    expect(Math.max(...predictor.calls.map((call) => call.dims.batch))).toBe(4);
    const totalSamples = jobs.reduce((sum, job) => sum + job.sampler.steps * (job.guidanceScale === 1 ? 1 : 2), 0);
    expect(predictor.calls.reduce((sum, call) => sum + call.dims.batch, 0)).toBe(totalSamples);
  });

  it('holds a call with room for at most maxWaitMs, so a job arriving meanwhile shares it', async () => {
    const { predictor, batcher } = batcherWith({}, 8, 60);
    const submittedAt = Date.now();
    const results = [batcher.submit(makeRequest({ sampler: { kind: 'euler', steps: 2 } }, 1))];
    await sleep(15);
    results.push(batcher.submit(makeRequest({ sampler: { kind: 'euler', steps: 2 } }, 2)));
    await Promise.all(results);
    expect(predictor.calls[0].dims.batch).toBe(4);
    const firstCallDelay = predictor.calls[0].startedAt - submittedAt;
    expect(firstCallDelay).toBeGreaterThanOrEqual(55);
    expect(firstCallDelay).toBeLessThan(60 + 200);
  });

  it('does not wait at all when the call is full or other jobs are queued', async () => {
    const started = Date.now();
    const full = batcherWith({}, 4, 10_000).batcher;
    await Promise.all([1, 2].map((salt) => full.submit(makeRequest({}, salt))));
    const queued = batcherWith({}, 2, 10_000).batcher;
    await Promise.all([1, 2].map((salt) => queued.submit(makeRequest({}, salt))));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports progress after every step, 1 through n', async () => {
    const progress: SamplingProgress[] = [];
    await batcherWith({}, 4, 0).batcher.submit(makeRequest({ sampler: { kind: 'ddim', steps: 4 } }), { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([1, 2, 3, 4].map((step) => ({ step, steps: 4 })));
  });

  it('cancels a job between steps: it rejects with the abort reason and leaves the next calls; the others finish', async () => {
    const [kept, cancelled] = [makeRequest({ sampler: { kind: 'ddim', steps: 8 } }, 1), makeRequest({ sampler: { kind: 'ddim', steps: 8 } }, 2)];
    const { predictor, batcher } = batcherWith({ delayMs: 2 }, 8, 0);
    const controller = new AbortController();
    const keptResult = batcher.submit(kept);
    const cancelledResult = batcher.submit(cancelled, { signal: controller.signal, onProgress: ({ step }) => step === 2 && controller.abort() });
    await expect(cancelledResult).rejects.toMatchObject({ name: 'AbortError' });
    expect((await keptResult).latents).toEqual((await runAlone(kept)).latents);
    expect(predictor.calls.map((call) => call.dims.batch)).toEqual([4, 4, 2, 2, 2, 2, 2, 2]);
  });

  it('rejects a job whose signal is already aborted without calling the model', async () => {
    const { predictor, batcher } = batcherWith({}, 4, 0);
    await expect(batcher.submit(makeRequest(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(predictor.calls).toHaveLength(0);
  });

  it('fails only the jobs in a failing call; jobs in other calls finish', async () => {
    const healthy = makeRequest({}, 1);
    const doomed = makeRequest({ height: 7 }, 2);
    const { batcher } = batcherWith({ failWhen: (_, dims) => dims.height === 7 }, 8, 0);
    const [healthyResult, doomedResult] = [batcher.submit(healthy), batcher.submit(doomed)];
    await expect(doomedResult).rejects.toThrow('stand-in predictor failure');
    expect((await healthyResult).latents).toEqual((await runAlone(healthy)).latents);
  });

  it('fails the jobs of a call whose output has the wrong size with model_pack_invalid', async () => {
    const batcher = new ContinuousBatcher({ predict: async () => new Float32Array(3) }, { maxBatch: 4, maxWaitMs: 0 });
    await expect(batcher.submit(makeRequest())).rejects.toMatchObject({ code: 'model_pack_invalid' });
  });

  it('rejects an invalid request with a typed error and keeps serving others', async () => {
    const { batcher } = batcherWith({}, 4, 0);
    const invalid = batcher.submit(makeRequest({ guidanceScale: -1 }));
    await expect(invalid).rejects.toMatchObject({ name: 'FacexError', code: 'invalid_recipe', details: { field: 'guidanceScale' } });
    await expect(batcher.submit(makeRequest())).resolves.toMatchObject({ height: 6, width: 5 });
  });

  it('refuses a cap below 2 and a negative wait bound', () => {
    const predictor = new StandInPredictor();
    expect(() => new ContinuousBatcher(predictor, { maxBatch: 1, maxWaitMs: 0 })).toThrow(RangeError);
    expect(() => new ContinuousBatcher(predictor, { maxBatch: 4, maxWaitMs: -1 })).toThrow(RangeError);
  });
});
