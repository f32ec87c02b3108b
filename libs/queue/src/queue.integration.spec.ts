import { FlowProducer, Queue } from 'bullmq';
import { FacexError, editJobId, newEditRecord, recipeFromPreset } from '@facex/contracts';
import { createRedis } from './connection';
import { editFlowTree, createEditFlow } from './flow';
import { MissingHandlerError, registerHandlers } from './handlers';
import { QUEUE_NAMES, jobOptions, jobsOfTier } from './queues';
import { isRetryable } from './retryable';
import { removeWaitingEditJobs } from './cancel';
import { startHealthServer } from './health-server';
import { enqueueWebhookEvent } from './webhook-events';
import { onShutdownSignals, shutdownInOrder } from './shutdown';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from './testing/redis-namespace';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function faceSwapEdit() {
  return newEditRecord({
    tenant: 'key_1',
    recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
    inputs: [
      { assetId: SHA_A, faceIndex: 0 },
      { assetId: SHA_B, faceIndex: 2 },
    ],
    options: { generator: 'reference', steps: 20, guidance: 5, resolution: 512, webhookUrl: 'https://example.com/hook' },
  });
}

describe('registerHandlers', () => {
  const noop = async () => ({ inputIndex: 0, representationKey: 'k', cacheHit: false });
  it('fails at start-up naming every job of a served tier that has no handler', () => {
    expect(() => registerHandlers(['cpu'], { extract: noop })).toThrow(MissingHandlerError);
    expect(() => registerHandlers(['cpu', 'webhook'], { extract: noop })).toThrow(/assemble, faces, webhook/);
  });

  it('accepts handlers covering the served tiers only', () => {
    expect(registerHandlers(['gpu'], { render: async () => ({ resultKey: 'r' }) }).tiers).toEqual(['gpu']);
  });

  it('puts extract, assemble and faces on the cpu tier, render on gpu', () => {
    expect([jobsOfTier('cpu'), jobsOfTier('gpu'), jobsOfTier('webhook')]).toEqual([['extract', 'assemble', 'faces'], ['render'], ['webhook']]);
  });
});

describe('isRetryable', () => {
  it('retries transient faults and unknown errors, never bad input', () => {
    expect(isRetryable(new FacexError('unavailable', 'busy'))).toBe(true);
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetryable(new FacexError('no_face', 'none'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('gone'), { retryable: false }))).toBe(false);
  });
});

describe('editFlowTree', () => {
  it('builds render ← assemble ← one extract per input, every child failing its parent, ids from the edit id', () => {
    const edit = faceSwapEdit();
    const tree = editFlowTree(edit);
    expect([tree.name, tree.queueName, tree.opts?.jobId, tree.opts?.failParentOnFailure]).toEqual(['render', QUEUE_NAMES.gpu, `${edit.id}.render`, undefined]);
    const [assemble] = tree.children ?? [];
    expect([assemble.name, assemble.queueName, assemble.opts?.jobId, assemble.opts?.failParentOnFailure]).toEqual([
      'assemble',
      QUEUE_NAMES.cpu,
      `${edit.id}.assemble`,
      true,
    ]);
    expect(assemble.children?.map((c) => [c.opts?.jobId, c.opts?.failParentOnFailure, c.data.assetKey, c.data.faceIndex])).toEqual([
      [`${edit.id}.extract.0`, true, `assets/${SHA_A}`, 0],
      [`${edit.id}.extract.1`, true, `assets/${SHA_B}`, 2],
    ]);
    expect(tree.data).toMatchObject({ frameAssetKey: `assets/${SHA_B}`, resultKey: `results/${edit.id}.png`, conditionsPrefix: `conditions/${edit.id}/` });
    expect(tree.data.options).not.toHaveProperty('webhookUrl');
    expect(assemble.data).not.toHaveProperty('maskAssetKey');
  });

  it('queues no extract job for an input cached at submit, and hands assemble what it needs to look it up', () => {
    const edit = faceSwapEdit();
    const [assemble] = editFlowTree(edit, {}, [1]).children ?? [];
    expect(assemble.children?.map((c) => c.opts?.jobId)).toEqual([`${edit.id}.extract.0`]);
    expect(assemble.data.cachedInputs).toEqual([{ inputIndex: 1, assetSha256: SHA_B, faceIndex: 2 }]);
    const [allCached] = editFlowTree(edit, {}, [0, 1]).children ?? [];
    expect(allCached.children).toBeUndefined();
    expect(allCached.data.cachedInputs).toHaveLength(2);
    expect(allCached.opts?.failParentOnFailure).toBe(true);
  });

  it("hands the assemble stage the user mask's asset key when the edit has one", () => {
    const [assemble] = editFlowTree({ ...faceSwapEdit(), mask: { assetId: SHA_A } }).children ?? [];
    expect(assemble.data.maskAssetKey).toBe(`assets/${SHA_A}`);
  });

  it('assembles each chosen face of a multi-face edit beside the others and renders them in one job', () => {
    const edit = { ...faceSwapEdit(), targetFaces: [2, 0, 1] };
    const tree = editFlowTree(edit);
    const assembles = tree.children ?? [];
    expect(assembles.map((a) => [a.opts?.jobId, a.opts?.failParentOnFailure, a.data.conditionsPrefix])).toEqual([
      [`${edit.id}.assemble`, true, `conditions/${edit.id}/`],
      [`${edit.id}.assemble.f1`, true, `conditions/${edit.id}/face-1/`],
      [`${edit.id}.assemble.f2`, true, `conditions/${edit.id}/face-2/`],
    ]);
    // The frame input (the target, input 1) takes each chosen face; the source keeps its own.
    expect(assembles.map((a) => a.children?.map((c) => [c.opts?.jobId, c.data.faceIndex]))).toEqual([
      [
        [`${edit.id}.extract.0`, 0],
        [`${edit.id}.extract.1`, 2],
      ],
      [
        [`${edit.id}.extract.0.f1`, 0],
        [`${edit.id}.extract.1.f1`, 0],
      ],
      [
        [`${edit.id}.extract.0.f2`, 0],
        [`${edit.id}.extract.1.f2`, 1],
      ],
    ]);
    expect(tree.data).toMatchObject({
      conditionsPrefix: `conditions/${edit.id}/`,
      moreConditionsPrefixes: [`conditions/${edit.id}/face-1/`, `conditions/${edit.id}/face-2/`],
    });
  });

  it('bounds kept jobs by age and count and backs off exponentially', () => {
    expect(jobOptions('extract')).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential' },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { count: 5000 },
    });
  });
});

describe('createEditFlow on Redis', () => {
  const prefix = testPrefix('queue');
  const redis = createRedis(TEST_REDIS_URL);
  const flows = new FlowProducer({ connection: redis, prefix });
  const cpu = new Queue(QUEUE_NAMES.cpu, { connection: redis, prefix });
  const gpu = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });

  afterAll(async () => {
    await Promise.all([flows.close(), cpu.close(), gpu.close()]);
    await deleteNamespace(redis, prefix);
    await redis.quit();
  });

  it('adds one flow for the same edit added twice', async () => {
    const edit = faceSwapEdit();
    await createEditFlow(flows, edit, { prefix });
    await createEditFlow(flows, edit, { prefix });
    expect(await cpu.getJobCounts('wait', 'waiting-children')).toEqual({ wait: 2, 'waiting-children': 1 });
    expect(await gpu.getJobCounts('waiting-children')).toEqual({ 'waiting-children': 1 });
    expect((await gpu.getJob(editJobId(edit.id, 'render')))?.data.editId).toBe(edit.id);
  });

  it('enqueues one webhook job per edit event, however often it is emitted', async () => {
    const webhooks = new Queue(QUEUE_NAMES.webhook, { connection: redis, prefix });
    const edit = faceSwapEdit();
    await enqueueWebhookEvent(webhooks, edit.id, edit.tenant, 'edit.completed');
    await enqueueWebhookEvent(webhooks, edit.id, edit.tenant, 'edit.completed');
    const jobs = await webhooks.getJobs(['wait']);
    expect(jobs.map((job) => [job.name, job.data.eventType, job.opts.attempts])).toEqual([['webhook', 'edit.completed', 8]]);
    await webhooks.close();
  });

  it('removes a waiting edit flow with all its children when the edit is canceled', async () => {
    const edit = faceSwapEdit();
    await createEditFlow(flows, edit, { prefix });
    expect(await removeWaitingEditJobs(gpu, edit.id)).toBe(true);
    expect(await cpu.getJob(editJobId(edit.id, 'extract', 1))).toBeUndefined();
    expect(await gpu.getJob(editJobId(edit.id, 'render'))).toBeUndefined();
  });
});

describe('shutdown', () => {
  it('closes stage by stage, once, whatever the number of calls', async () => {
    const order: string[] = [];
    const closable = (name: string) => ({ close: async () => void order.push(name) });
    const shutdown = shutdownInOrder([[closable('workers')], [closable('analyzer'), closable('queue')], [closable('redis')]]);
    await Promise.all([shutdown(), shutdown()]);
    expect(order).toEqual(['workers', 'analyzer', 'queue', 'redis']);
  });

  it('runs the shutdown on SIGTERM and exits 0 when it succeeds', async () => {
    const shutdown = jest.fn(async () => undefined);
    const exited = new Promise<number>((resolve) => {
      const remove = onShutdownSignals(shutdown, (code) => {
        remove();
        resolve(code);
      });
      process.emit('SIGTERM');
    });
    expect(await exited).toBe(0);
    expect(shutdown).toHaveBeenCalledTimes(1);
  });
});

describe('health server', () => {
  it('answers /healthz always, /readyz by readiness, /metrics from the registry', async () => {
    let ready = false;
    const server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      ready: () => ready,
      metrics: async () => ({ contentType: 'text/plain', body: 'facex_up 1' }),
    });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return [response.status, await response.text()];
    };
    try {
      expect(await get('/healthz')).toEqual([200, 'ok']);
      expect((await get('/readyz'))[0]).toBe(503);
      ready = true;
      expect((await get('/readyz'))[0]).toBe(200);
      expect(await get('/metrics')).toEqual([200, 'facex_up 1']);
    } finally {
      await server.close();
    }
  });
});
