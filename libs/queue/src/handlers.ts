/**
 * Typed job handlers. A handler is a plain async function of the payload and a small context; it never sees
 * BullMQ. `registerHandlers` checks at start-up that every job the worker's tiers carry has a handler.
 */
import type { JobName, JobPayloads, JobResults, QueueTier } from '@facex/contracts';
import { jobsOfTier } from './queues';

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** Publishes progress to the job (QueueEvents / SSE). */
  reportProgress(progress: Record<string, number | string>): Promise<void>;
  /** The return values of this job's children (e.g. assemble reads its extracts'). */
  childResults(): Promise<unknown[]>;
  /** How long the job waited in its queue for a worker, in seconds. */
  queueWaitSeconds(): Promise<number>;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<JobResults[N]>;
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

/**
 * Called once when a job has failed for good (no retry left, not retryable, or a payload its schema refuses);
 * `editId` is the edit the job belongs to, when the payload names a well-formed one.
 */
export type FinalFailureHook = (name: JobName, editId: string | undefined, error: unknown) => Promise<void>;

export interface HandlerSet {
  tiers: QueueTier[];
  handlers: JobHandlers;
  onFinalFailure?: FinalFailureHook;
}

export class MissingHandlerError extends Error {
  constructor(readonly jobNames: JobName[]) {
    super(`no handler for job(s) ${jobNames.join(', ')}: every job a served queue carries needs one`);
    this.name = 'MissingHandlerError';
  }
}

/** The handlers for the given tiers; throws MissingHandlerError when one of their jobs has none. */
export function registerHandlers(tiers: QueueTier[], handlers: JobHandlers, onFinalFailure?: FinalFailureHook): HandlerSet {
  const missing = tiers.flatMap(jobsOfTier).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new MissingHandlerError(missing);
  return { tiers, handlers, ...(onFinalFailure ? { onFinalFailure } : {}) };
}
