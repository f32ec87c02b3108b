import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { FacexError, newEditId } from '@facex/contracts';
import { QUEUE_NAMES, enqueueWebhookEvent } from '@facex/queue';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { startWebhookWorker } from './webhook-worker';

const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const prefix = testPrefix('webhook-worker');
const queue = new Queue(QUEUE_NAMES.webhook, { connection: redis, prefix });

afterAll(async () => {
  await queue.close();
  await deleteNamespace(redis, prefix);
  await redis.quit();
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const started = Date.now(); !(await check());) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the webhook worker', () => {
  it('retries a retryable delivery failure through the custom backoff strategy, with the same event id', async () => {
    const seen: Array<{ eventId: string; attempt: number }> = [];
    const backoffs: number[] = [];
    const worker = startWebhookWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 1,
      backoff: (attempt) => (backoffs.push(attempt), 10),
      handler: async (payload, context) => {
        seen.push({ eventId: payload.eventId, attempt: context.attempt });
        if (context.attempt === 1) throw new FacexError('webhook_delivery_failed', 'HTTP 503');
      },
    });
    try {
      const editId = newEditId();
      await enqueueWebhookEvent(queue, editId, 'key_t', 'edit.completed');
      await until(async () => (await queue.getJobCounts('completed'))['completed'] === 1);
      expect(seen.map((entry) => entry.attempt)).toEqual([1, 2]);
      expect(new Set(seen.map((entry) => entry.eventId)).size).toBe(1);
      expect(backoffs).toEqual([1]);
    } finally {
      await worker.close();
    }
  });

  it('does not retry a permanent failure', async () => {
    let attempts = 0;
    const worker = startWebhookWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 1,
      backoff: () => 10,
      handler: async () => {
        attempts++;
        throw new FacexError('invalid_webhook_secret', 'secret: malformed');
      },
    });
    try {
      await enqueueWebhookEvent(queue, newEditId(), 'key_t', 'edit.failed');
      await until(async () => (await queue.getJobCounts('failed'))['failed'] === 1);
      expect(attempts).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('fails a job whose payload its schema refuses, once and without calling the handler', async () => {
    let handled = 0;
    const worker = startWebhookWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 1,
      backoff: () => 10,
      handler: async () => {
        handled++;
      },
    });
    try {
      await queue.add('webhook', { editId: newEditId(), tenant: 'key_t', eventType: 'edit.exploded', eventId: 'evt_x' }, { jobId: 'bad-webhook', attempts: 5 });
      await until(async () => (await queue.getJob('bad-webhook'))?.failedReason !== undefined);
      const job = await queue.getJob('bad-webhook');
      expect(job?.failedReason).toMatch(/eventType/);
      expect(job?.attemptsMade).toBe(1);
      expect(handled).toBe(0);
    } finally {
      await worker.close();
    }
  });
});
