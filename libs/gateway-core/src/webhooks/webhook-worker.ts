/**
 * The BullMQ worker of the `facex-webhook` queue. Its own Worker (not @facex/queue startTierWorkers) because
 * webhook retries need a custom backoff strategy: webhookBackoff, exponential with full jitter and a cap.
 * Like every other tier, a payload its schema refuses and a non-retryable error fail the job for good.
 */
import { Worker, type Job } from 'bullmq';
import { QUEUE_NAMES, checkJobPayload, createRedis, isRetryable, settleStartUp, unrecoverable, type JobHandler } from '@facex/queue';
import { createLogger, logConnectionErrors } from '@facex/logging';
import { webhookBackoff } from '@facex/webhooks';

export interface WebhookWorkerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  handler: JobHandler<'webhook'>;
  /** Delay before retry `attempt` (default webhookBackoff: exponential, full jitter, capped). */
  backoff?: (attempt: number) => number;
  /** Seconds each job waited in the queue (metrics). */
  onQueueWait?: (seconds: number) => void;
}

export interface RunningWebhookWorker {
  worker: Worker;
  close(): Promise<void>;
}

export function startWebhookWorker(options: WebhookWorkerOptions): RunningWebhookWorker {
  const connection = createRedis(options.redisUrl);
  const processor = async (job: Job): Promise<void> => {
    const waited = Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp) / 1000;
    options.onQueueWait?.(waited);
    const checked = checkJobPayload('webhook', job.id, job.data);
    if (!checked.ok) throw unrecoverable(checked.error);
    try {
      await options.handler(checked.payload, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        reportProgress: (progress) => job.updateProgress(progress),
        childResults: async () => [],
        queueWaitSeconds: async () => waited,
      });
    } catch (error) {
      if (isRetryable(error)) throw error;
      throw unrecoverable(error);
    }
  };
  const worker = new Worker(QUEUE_NAMES.webhook, processor, {
    connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => (options.backoff ?? webhookBackoff)(attemptsMade) },
  });
  // An unheard 'error' (a Redis restart) would crash the process: logged, and the clients retry.
  const logger = createLogger('webhook-worker');
  logConnectionErrors(connection, logger, 'redis');
  logConnectionErrors(worker, logger, 'webhook worker');
  return {
    worker,
    close: async () => {
      await settleStartUp([worker]);
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
