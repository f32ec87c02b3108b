/**
 * Queue names and default job options. One queue per tier (see @facex/contracts jobs.ts): `cpu` carries
 * extract + assemble + faces, `gpu` carries render, `webhook` the deliveries, `video` a video edit's chunks and mux.
 */
import type { DefaultJobOptions } from 'bullmq';
import { JOB_NAMES, QUEUE_OF_JOB, type JobName, type QueueTier } from '@facex/contracts';
import { positiveIntFromEnv } from './env-int';

export const QUEUE_NAMES: Record<QueueTier, string> = { cpu: 'facex-cpu', gpu: 'facex-gpu', webhook: 'facex-webhook', video: 'facex-video' };

/** The job names one tier serves. */
export function jobsOfTier(tier: QueueTier): JobName[] {
  return JOB_NAMES.filter((name) => QUEUE_OF_JOB[name] === tier);
}

export interface RetryPolicy {
  attempts: number;
  /** First backoff delay; doubles per attempt. */
  backoffMs: number;
}

/** Transient faults (a Redis or S3 hiccup, a busy analyzer) get a few tries; bad input gets none (see worker.ts). */
export const DEFAULT_RETRY: Record<JobName, RetryPolicy> = {
  extract: { attempts: 3, backoffMs: 2_000 },
  assemble: { attempts: 3, backoffMs: 2_000 },
  render: { attempts: 3, backoffMs: 5_000 },
  webhook: { attempts: 8, backoffMs: 10_000 },
  faces: { attempts: 3, backoffMs: 2_000 },
  // A chunk is a few seconds of frames: a retry repeats that chunk only (the others are stored).
  'video-chunk': { attempts: 3, backoffMs: 2_000 },
  'video-mux': { attempts: 3, backoffMs: 2_000 },
};

/** Finished jobs are kept for inspection a while, bounded by age and count so Redis memory stays flat. */
export const KEEP_COMPLETED = { age: 3_600, count: 1_000 };
export const KEEP_FAILED = { age: 7 * 24 * 3_600, count: 5_000 };

const EDIT_STAGE_JOBS: readonly JobName[] = ['extract', 'assemble', 'render', 'video-chunk', 'video-mux'];

/**
 * The edit stages' retry policy as the environment of the process that creates the flows (the gateway) sets
 * it: EDIT_RETRY_ATTEMPTS and EDIT_RETRY_BACKOFF_MS, each falling back to DEFAULT_RETRY. Webhook jobs keep theirs.
 */
export function editRetryFromEnv(name: JobName, env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const fallback = DEFAULT_RETRY[name];
  if (!EDIT_STAGE_JOBS.includes(name)) return fallback;
  return {
    attempts: positiveIntFromEnv(env, 'EDIT_RETRY_ATTEMPTS') ?? fallback.attempts,
    backoffMs: positiveIntFromEnv(env, 'EDIT_RETRY_BACKOFF_MS') ?? fallback.backoffMs,
  };
}

export function jobOptions(name: JobName, retry: Partial<Record<JobName, RetryPolicy>> = {}, env: NodeJS.ProcessEnv = process.env): DefaultJobOptions {
  const policy = retry[name] ?? editRetryFromEnv(name, env);
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}
