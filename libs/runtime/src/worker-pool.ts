import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FacexError } from '@facex/contracts';
import { createLogger } from '@facex/logging';
import { deserializeError } from './serialized-error';
import type { TaskMessage, WorkerMessage } from './task-messages';
import { transferablesOf } from './transfer';

export interface RespawnPolicy {
  /** Consecutive failed starts of a replacement before the pool gives up on that slot. */
  attempts: number;
  /** Delay before the first retry; doubled on each further one. */
  initialDelayMs: number;
}

export interface WorkerPoolOptions<Options> {
  /** Absolute path of the task module (exports `createTaskHandler`). */
  entry: string;
  /** Passed to `createTaskHandler` in every worker. */
  options: Options;
  /** Worker threads; each runs one task at a time. */
  size: number;
  /** Tasks allowed to wait for a worker; beyond it `run` fails fast with `unavailable`. */
  maxQueue: number;
  /** How a worker that died is replaced (default: 5 attempts from 200 ms). */
  respawn?: RespawnPolicy;
  /** Told of every worker that died and every replacement that failed to start (default: logged as errors). */
  onWorkerError?: (error: Error) => void;
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
const DEFAULT_RESPAWN: RespawnPolicy = { attempts: 5, initialDelayMs: 200 };

const log = createLogger('worker-pool');

function logWorkerError(error: Error): void {
  log.error({ err: error }, error.message);
}

/**
 * A bounded pool of worker threads for blocking work (model inference, pixel loops), so the event loop that
 * serves requests and renews job locks never stalls. A worker that dies fails only its own task and is
 * replaced; when no worker is left and none can be started, waiting and new tasks fail with `unavailable`
 * instead of waiting forever. `close()` terminates every thread the pool started, ready or still starting.
 */
export class WorkerPool<Request, Response> {
  /** Every thread started and not yet exited, ready or starting: what `close()` must terminate. */
  private readonly threads = new Set<Worker>();
  private readonly ready: PoolWorker[] = [];
  private readonly idle: PoolWorker[] = [];
  private readonly queue: PendingTask[] = [];
  private readonly retries = new Set<NodeJS.Timeout>();
  private readonly respawn: RespawnPolicy;
  private readonly onWorkerError: (error: Error) => void;
  /** Replacements being started or waiting to retry. */
  private replacing = 0;
  private nextId = 1;
  private closed = false;

  private constructor(private readonly settings: WorkerPoolOptions<unknown>) {
    this.respawn = settings.respawn ?? DEFAULT_RESPAWN;
    this.onWorkerError = settings.onWorkerError ?? logWorkerError;
  }

  /** Starts every worker and waits until each has loaded its models. */
  static async start<Request, Response, Options>(settings: WorkerPoolOptions<Options>): Promise<WorkerPool<Request, Response>> {
    if (!(settings.size >= 1)) throw new RangeError('a worker pool needs at least one worker');
    const pool = new WorkerPool<Request, Response>(settings);
    const started = await Promise.allSettled(Array.from({ length: settings.size }, () => pool.spawn()));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) {
      await pool.close();
      throw failure.reason;
    }
    return pool;
  }

  /** Tasks waiting or running. */
  get pending(): number {
    return this.queue.length + this.ready.filter((w) => w.task).length;
  }

  /** Threads alive now, ready or starting. */
  get threadCount(): number {
    return this.threads.size;
  }

  run(request: Request): Promise<Response> {
    if (this.closed) return Promise.reject(new FacexError('unavailable', 'the worker pool is closed'));
    if (this.ready.length === 0 && this.replacing === 0) return Promise.reject(this.noWorkersError());
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
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    this.rejectQueued(new FacexError('unavailable', 'the worker pool closed'));
    await Promise.all([...this.threads].map((worker) => worker.terminate()));
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, { workerData: { entry: this.settings.entry, options: this.settings.options } });
      this.threads.add(worker);
      const slot: PoolWorker = { worker };
      // settled: the start ended either way; serving: it ended with the worker ready and in the pool.
      let settled = false;
      let serving = false;
      const failStart = (error: Error): void => {
        if (settled) return;
        settled = true;
        reject(error);
        void worker.terminate();
      };
      worker.on('message', (message: WorkerMessage) => {
        switch (message.kind) {
          case 'ready':
            if (settled) return;
            settled = true;
            if (this.closed) {
              void worker.terminate();
              reject(new FacexError('unavailable', 'the worker pool closed while a worker was starting'));
              return;
            }
            serving = true;
            this.ready.push(slot);
            this.release(slot);
            resolve();
            return;
          case 'failed-to-start':
            failStart(new Error(`worker failed to start: ${message.message}`));
            return;
          case 'result':
          case 'error':
            this.settle(slot, message);
        }
      });
      worker.on('error', (error) => {
        if (!settled) failStart(error);
        else this.onWorkerError(new Error(`worker thread failed: ${error.message}`));
      });
      worker.on('exit', (code) => {
        this.threads.delete(worker);
        if (serving) this.retire(slot, code);
        else failStart(new Error(`worker exited with code ${code} while starting`));
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

  /** A ready worker exited: fail its task, forget it, and start a replacement unless the pool is closing. */
  private retire(slot: PoolWorker, code: number): void {
    const index = this.ready.indexOf(slot);
    if (index >= 0) this.ready.splice(index, 1);
    const idleIndex = this.idle.indexOf(slot);
    if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
    slot.task?.reject(new FacexError('unavailable', 'the worker running this task exited'));
    slot.task = undefined;
    if (this.closed) return;
    this.onWorkerError(new Error(`worker exited with code ${code}; starting a replacement`));
    this.replace(0);
  }

  /** Starts a replacement, retrying with backoff; when it cannot, and no worker is left, waiting tasks fail. */
  private replace(attempt: number): void {
    this.replacing++;
    this.spawn().then(
      () => {
        this.replacing--;
      },
      (error: unknown) => {
        this.replacing--;
        if (this.closed) return;
        const reason = error instanceof Error ? error.message : String(error);
        const retry = attempt + 1 < this.respawn.attempts;
        this.onWorkerError(new Error(`replacement worker failed to start (attempt ${attempt + 1} of ${this.respawn.attempts}): ${reason}`));
        if (retry) {
          this.replacing++;
          const timer = setTimeout(
            () => {
              this.retries.delete(timer);
              this.replacing--;
              if (!this.closed) this.replace(attempt + 1);
            },
            this.respawn.initialDelayMs * 2 ** attempt,
          );
          this.retries.add(timer);
        } else if (this.ready.length === 0 && this.replacing === 0) {
          this.rejectQueued(this.noWorkersError());
        }
      },
    );
  }

  private noWorkersError(): FacexError {
    return new FacexError('unavailable', 'the worker pool has no worker left: replacements failed to start');
  }

  private rejectQueued(error: FacexError): void {
    for (const task of this.queue.splice(0)) task.reject(error);
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
