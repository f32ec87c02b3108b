import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FacexError } from '@facex/contracts';
import { deserializeError } from './serialized-error';
import type { TaskMessage, WorkerMessage } from './task-messages';
import { transferablesOf } from './transfer';

export interface WorkerPoolOptions<Options> {
  /** Absolute path of the task module (exports `createTaskHandler`). */
  entry: string;
  /** Passed to `createTaskHandler` in every worker. */
  options: Options;
  /** Worker threads; each runs one task at a time. */
  size: number;
  /** Tasks allowed to wait for a worker; beyond it `run` fails fast with `unavailable`. */
  maxQueue: number;
}

interface PendingTask {
  id: number;
  request: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  task?: PendingTask;
}

const BOOTSTRAP = join(__dirname, 'worker-bootstrap.js');

/**
 * A bounded pool of worker threads for blocking work (model inference, pixel loops), so the event loop that
 * serves requests and renews job locks never stalls. A worker that dies fails only its own task and is
 * replaced.
 */
export class WorkerPool<Request, Response> {
  private readonly workers: PoolWorker[] = [];
  private readonly idle: PoolWorker[] = [];
  private readonly queue: PendingTask[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly settings: WorkerPoolOptions<unknown>) {}

  /** Starts every worker and waits until each has loaded its models. */
  static async start<Request, Response, Options>(settings: WorkerPoolOptions<Options>): Promise<WorkerPool<Request, Response>> {
    if (!(settings.size >= 1)) throw new RangeError('a worker pool needs at least one worker');
    const pool = new WorkerPool<Request, Response>(settings);
    try {
      await Promise.all(Array.from({ length: settings.size }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get pending(): number {
    return this.queue.length + this.workers.filter((w) => w.task).length;
  }

  run(request: Request): Promise<Response> {
    if (this.closed) return Promise.reject(new FacexError('unavailable', 'the worker pool is closed'));
    if (this.queue.length >= this.settings.maxQueue && this.idle.length === 0) {
      return Promise.reject(new FacexError('unavailable', `the worker pool queue is full (${this.settings.maxQueue} waiting)`));
    }
    return new Promise<Response>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new FacexError('unavailable', 'the worker pool closed'));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, { workerData: { entry: this.settings.entry, options: this.settings.options } });
      const slot: PoolWorker = { worker };
      let started = false;
      worker.on('message', (message: WorkerMessage) => {
        switch (message.kind) {
          case 'ready':
            started = true;
            this.workers.push(slot);
            this.release(slot);
            resolve();
            return;
          case 'failed-to-start':
            reject(new Error(`worker failed to start: ${message.message}`));
            void worker.terminate();
            return;
          case 'result':
          case 'error':
            this.settle(slot, message);
        }
      });
      worker.on('error', (error) => {
        if (!started) reject(error);
      });
      worker.on('exit', () => {
        if (!started) return reject(new Error('worker exited while starting'));
        this.retire(slot);
      });
    });
  }

  private settle(slot: PoolWorker, message: Extract<WorkerMessage, { kind: 'result' | 'error' }>): void {
    const task = slot.task;
    if (!task || task.id !== message.id) return;
    slot.task = undefined;
    if (message.kind === 'result') task.resolve(message.value);
    else task.reject(deserializeError(message.error));
    this.release(slot);
  }

  /** A worker exited: fail its task, forget it, and start a replacement unless the pool is closing. */
  private retire(slot: PoolWorker): void {
    const index = this.workers.indexOf(slot);
    if (index >= 0) this.workers.splice(index, 1);
    const idleIndex = this.idle.indexOf(slot);
    if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
    slot.task?.reject(new FacexError('unavailable', 'the worker running this task exited'));
    slot.task = undefined;
    if (!this.closed) this.spawn().catch(() => undefined);
  }

  private release(slot: PoolWorker): void {
    this.idle.push(slot);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const slot = this.idle.pop()!;
      const task = this.queue.shift()!;
      slot.task = task;
      const message: TaskMessage = { id: task.id, request: task.request };
      slot.worker.postMessage(message, transferablesOf(task.request));
    }
  }
}
