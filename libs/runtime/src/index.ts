export type { TaskHandler, TaskModule } from './task-messages';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool';
export { deserializeError, serializeError, type SerializedError } from './serialized-error';

/** A worker-thread script that loads `workerData.entry` (TypeScript in source checkouts) for custom workers. */
export const WORKER_ENTRY_LOADER = require.resolve('./load-worker-entry.js');
