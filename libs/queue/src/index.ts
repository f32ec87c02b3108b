export { createRedis, connectRedis } from './connection';
export { redisTarget, type RedisTarget } from './redis-url';
export { QUEUE_NAMES, jobsOfTier, DEFAULT_RETRY, KEEP_COMPLETED, KEEP_FAILED, jobOptions, editRetryFromEnv, type RetryPolicy } from './queues';
export { editFlowTree, createEditFlow, type EditFlowOptions } from './flow';
export { registerHandlers, MissingHandlerError, type JobContext, type JobHandler, type JobHandlers, type HandlerSet, type FinalFailureHook } from './handlers';
export { isRetryable } from './retryable';
export { checkJobPayload, unrecoverable, type PayloadCheck } from './job-payload';
export { positiveIntFromEnv } from './env-int';
export {
  startTierWorkers,
  recoveryBoundMs,
  DEFAULT_LOCK_RENEW_MS,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_STALLED_INTERVAL_MS,
  DEFAULT_MAX_STALLED_COUNT,
  workerTimingFromEnv,
  type WorkerSettings,
  type WorkerTiming,
} from './worker';
export { shutdownInOrder, onShutdownSignals, settleStartUp, type Closable } from './shutdown';
export { startHealthServer, type HealthServerOptions } from './health-server';
export { enqueueWebhookEvent, WEBHOOK_BACKOFF_TYPE } from './webhook-events';
export { removeWaitingEditJobs } from './cancel';
export { videoFlowTree, createVideoFlow, removeWaitingVideoJobs } from './video-flow';
