import { Queue, QueueEvents } from 'bullmq';
import { newEditRecord, recipeFromPreset, type JobName } from '@facex/contracts';
import { createRedis } from './connection';
import { registerHandlers } from './handlers';
import { QUEUE_NAMES } from './queues';
import { startTierWorkers } from './worker';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from './testing/redis-namespace';

describe('tier workers at the payload boundary', () => {
  const prefix = testPrefix('worker-payload');
  const redis = createRedis(TEST_REDIS_URL);
  const handled: unknown[] = [];
  const finalFailures: Array<{ name: JobName; editId: string | undefined; error: unknown }> = [];
  const set = registerHandlers(
    ['gpu'],
    {
      render: async (payload) => {
        handled.push(payload);
        return { resultKey: payload.resultKey };
      },
    },
    async (name, editId, error) => {
      finalFailures.push({ name, editId, error });
    },
  );
  const workers = startTierWorkers(set, { connection: redis, prefix, lockDurationMs: 5_000, stalledIntervalMs: 5_000 });
  const queue = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });
  const eventsConnection = redis.duplicate();
  const events = new QueueEvents(QUEUE_NAMES.gpu, { connection: eventsConnection, prefix });
  const { id: editId } = newEditRecord({
    tenant: 'key_1',
    recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }),
    inputs: [
      { assetId: 'a'.repeat(64), faceIndex: 0 },
      { assetId: 'b'.repeat(64), faceIndex: 0 },
    ],
    options: { generator: 'reference', steps: 1, guidance: 1, resolution: 512 },
  });
  const validRender = {
    editId,
    tenant: 'key_1',
    conditionsPrefix: `conditions/${editId}/`,
    frameAssetKey: `assets/${'a'.repeat(64)}`,
    options: { generator: 'reference', steps: 1, guidance: 1, resolution: 512 },
    resultKey: `results/${editId}.png`,
  };

  beforeAll(() => events.waitUntilReady());
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([queue.close(), events.close()]);
    await deleteNamespace(redis, prefix);
    await Promise.all([redis.quit(), eventsConnection.quit()]);
  });

  it('hands a payload its schema accepts to the handler', async () => {
    const job = await queue.add('render', validRender, { jobId: 'valid', attempts: 3 });
    await job.waitUntilFinished(events, 20_000);
    expect(handled).toContainEqual(validRender);
  });

  it('fails a payload its schema refuses at once, without retries or the handler, naming the field, and fails its edit', async () => {
    const { resultKey: _dropped, ...missingResultKey } = validRender;
    const job = await queue.add('render', { ...missingResultKey, steps: 'many' }, { jobId: 'invalid', attempts: 3 });
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/resultKey/);
    const failed = await queue.getJob('invalid');
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/job 'render' \(invalid\)/);
    expect(handled).toHaveLength(1);
    expect(finalFailures).toEqual([{ name: 'render', editId, error: expect.objectContaining({ code: 'invalid_job_payload', retryable: false }) }]);
  });
});
