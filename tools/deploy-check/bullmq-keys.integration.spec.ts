/**
 * KEDA scales the diffusion workers on Redis lists it reads directly; this pins those list names to what the
 * installed BullMQ really does with a render job (needs Redis on REDIS_URL, as the other service tests do).
 */
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUE_NAMES } from '@facex/queue';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { bullmqListKey } from './manifest-checks';

describe('the BullMQ lists the KEDA ScaledObject reads', () => {
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = testPrefix('deploy-keda');

  afterAll(async () => {
    await deleteNamespace(redis, prefix);
    await redis.quit();
  });

  it('hold a waiting render job in <prefix>:<gpu queue>:wait and a running one in …:active', async () => {
    const queue = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });
    await queue.add('render', { editId: 'e1' });
    expect(await redis.llen(bullmqListKey(prefix, QUEUE_NAMES.gpu, 'wait'))).toBe(1);

    let finish: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (finish = resolve));
    let started: () => void = () => undefined;
    const startedJob = new Promise<void>((resolve) => (started = resolve));
    const workerConnection = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      QUEUE_NAMES.gpu,
      async () => {
        started();
        await running;
      },
      { connection: workerConnection, prefix },
    );
    await startedJob;
    expect(await redis.llen(bullmqListKey(prefix, QUEUE_NAMES.gpu, 'wait'))).toBe(0);
    expect(await redis.llen(bullmqListKey(prefix, QUEUE_NAMES.gpu, 'active'))).toBe(1);
    finish();
    await worker.close();
    await queue.close();
    await workerConnection.quit();
    expect(await redis.llen(bullmqListKey(prefix, QUEUE_NAMES.gpu, 'active'))).toBe(0);
  });
});
