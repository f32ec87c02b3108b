export type { TaskHandler, TaskModule } from './task-messages';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool';
