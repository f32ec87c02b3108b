/**
 * BullMQ workers over a HandlerSet: one Worker per served tier. The processor is a thin adapter: it checks
 * the payload against its job's schema (a payload that does not match fails the job for good, with the
 * schema's findings), runs the handler, and turns a non-retryable error into UnrecoverableError so BullMQ
 * spends no attempts on bad input.
 *
 * Lock settings suit CPU-heavy jobs: inference runs in worker threads (FaceAnalyzer's pool), so this event
 * loop stays free to renew locks; the lock is still generous (a busy 2-core box can starve timers) and a job
 * is declared stalled only twice before it fails. Operators and tests override the timings with
 * WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS and WORKER_MAX_STALLED_COUNT (see workerTimingFromEnv):
 * after a crash (kill -9) a job is recovered within lock + two stalled intervals (recoveryBoundMs).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueWaitSeconds } from './queue-wait';
import { QUEUE_NAMES } from './queues';
import { positiveIntFromEnv } from './env-int';
import { isRetryable } from './retryable';
import type { HandlerSet, JobContext, JobHandler } from './handlers';
import type { JobName, QueueTier } from '@facex/contracts';
import { checkJobPayload, unrecoverable } from './job-payload';

export interface WorkerSettings {
  connection: Redis;
  prefix?: string;
  /** Jobs in flight per tier worker. */
  concurrency?: Partial<Record<QueueTier, number>>;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

/**
 * Recovery timing. A live worker renews its jobs' locks every DEFAULT_LOCK_RENEW_MS; its event loop stays
 * free during inference and pixel work (worker threads), so a renewal is never late by seconds and a short
 * lock is safe for stages of any length. After a kill -9 the lock lapses within DEFAULT_LOCK_DURATION_MS and
 * a later stalled-job check moves the job back to wait. The workers of a queue share one check: a check by any
 * of them skips the others' for one interval, so with the dead worker's last check just before a live worker's
 * tick, the next check can come almost two intervals later. The job resumes within lock + 2 × interval = 25 s.
 */
export const DEFAULT_LOCK_DURATION_MS = 15_000;
export const DEFAULT_LOCK_RENEW_MS = 5_000;
export const DEFAULT_STALLED_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_STALLED_COUNT = 2;

/** The longest a killed worker's job waits before another worker takes it, for a timing. */
export function recoveryBoundMs(timing: WorkerTiming = {}): number {
  return (timing.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS) + 2 * (timing.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS);
}

export type WorkerTiming = Pick<WorkerSettings, 'lockDurationMs' | 'stalledIntervalMs' | 'maxStalledCount'>;

/** The lock and stall timings the environment sets; absent names are left to the defaults. */
export function workerTimingFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerTiming {
  const lockDurationMs = positiveIntFromEnv(env, 'WORKER_LOCK_DURATION_MS');
  const stalledIntervalMs = positiveIntFromEnv(env, 'WORKER_STALLED_INTERVAL_MS');
  const maxStalledCount = positiveIntFromEnv(env, 'WORKER_MAX_STALLED_COUNT');
  return {
    ...(lockDurationMs ? { lockDurationMs } : {}),
    ...(stalledIntervalMs ? { stalledIntervalMs } : {}),
    ...(maxStalledCount ? { maxStalledCount } : {}),
  };
}

function contextOf(job: Job, redis: Redis): JobContext {
  return {
    jobId: job.id ?? '',
    attempt: job.attemptsMade + 1,
    maxAttempts: job.opts.attempts ?? 1,
    reportProgress: (progress) => job.updateProgress(progress),
    childResults: async () => Object.values(await job.getChildrenValues()),
    queueWaitSeconds: () => queueWaitSeconds(job, redis),
  };
}

function processorOf(set: HandlerSet, redis: Redis) {
  return async (job: Job): Promise<unknown> => {
    const name = job.name as JobName;
    const handler = set.handlers[name] as JobHandler<JobName> | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job '${job.name}'`);
    const checked = checkJobPayload(name, job.id, job.data);
    if (!checked.ok) {
      await set.onFinalFailure?.(name, checked.editId, checked.error);
      throw unrecoverable(checked.error);
    }
    const { payload } = checked;
    const context = contextOf(job, redis);
    try {
      return await handler(payload, context);
    } catch (error) {
      const retryable = isRetryable(error);
      // A job that serves no edit (`faces`) has no editId: its failure fails no edit.
      if (!retryable || context.attempt >= context.maxAttempts) await set.onFinalFailure?.(name, 'editId' in payload ? payload.editId : undefined, error);
      if (retryable) throw error;
      throw unrecoverable(error);
    }
  };
}

/** One started Worker per tier of the set; timings: `settings`, else the environment, else the defaults. */
export function startTierWorkers(set: HandlerSet, settings: WorkerSettings, env: NodeJS.ProcessEnv = process.env): Worker[] {
  const fromEnv = workerTimingFromEnv(env);
  return set.tiers.map(
    (tier) =>
      new Worker(QUEUE_NAMES[tier], processorOf(set, settings.connection), {
        connection: settings.connection,
        ...(settings.prefix ? { prefix: settings.prefix } : {}),
        concurrency: settings.concurrency?.[tier] ?? 1,
        lockDuration: settings.lockDurationMs ?? fromEnv.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
        // A third of the lock: two renewals may be missed before it lapses.
        lockRenewTime: Math.floor((settings.lockDurationMs ?? fromEnv.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS) / 3),
        stalledInterval: settings.stalledIntervalMs ?? fromEnv.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
        maxStalledCount: settings.maxStalledCount ?? fromEnv.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
      }),
  );
}
