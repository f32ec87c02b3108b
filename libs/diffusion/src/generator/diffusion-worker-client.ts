/**
 * The calling thread's side of the diffusion worker: starts the thread, posts jobs, routes each job's
 * progress and result back to it, and cancels jobs whose signal aborts. Inputs are copied to the worker
 * (the caller still pastes back with its fusion mask); the rendered image is moved back, not copied.
 * A worker that dies fails the jobs it held with `unavailable`; the next render starts a new one.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FacexError } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import type { BatcherStats } from './counting-predictor';
import type { EngineSettings } from './diffusion-engine';
import type { DiffusionJob } from './diffusion-job';
import { deserializeError, WORKER_ENTRY_LOADER } from '@facex/runtime';
import type { FromWorker, ToWorker } from './worker-protocol';

const ENTRY = join(__dirname, `diffusion-worker${extname(__filename)}`);

export interface JobCallbacks {
  signal?: AbortSignal;
  onStep?: (step: number, steps: number) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onStep?: (step: number, steps: number) => void;
}

export class DiffusionWorkerClient {
  private worker?: Promise<Worker>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly settings: EngineSettings) {}

  /** Starts the worker thread now (loading the sessions) instead of on the first render. */
  async start(): Promise<void> {
    await this.running();
  }

  render(job: DiffusionJob, callbacks: JobCallbacks = {}): Promise<RgbImage> {
    return this.renderAll([{ job, callbacks }])[0];
  }

  /** Jobs posted in one message, so the worker starts their sampling together (one batch); one promise per job. */
  renderAll(jobs: ReadonlyArray<{ job: DiffusionJob; callbacks: JobCallbacks }>): Array<Promise<RgbImage>> {
    return this.requestAll<RgbImage>(
      jobs.map(({ callbacks }) => callbacks),
      (live) => ({ kind: 'render', jobs: live.map(({ id, index }) => ({ id, job: jobs[index].job })) }),
    );
  }

  stats(): Promise<BatcherStats> {
    return this.requestAll<BatcherStats>([{}], ([{ id }]) => ({ kind: 'stats', id }))[0];
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new FacexError('unavailable', 'the diffusion generator closed'));
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }

  /**
   * One message answered under one id per entry of `callbacks`, each promise settling (or aborting) on its own.
   * Every answer is awaited before the message goes out; an entry whose signal had already aborted is left out.
   */
  private requestAll<T>(callbacks: readonly JobCallbacks[], message: (live: Array<{ id: number; index: number }>) => ToWorker): Array<Promise<T>> {
    const started = this.running();
    const answers = started.then((worker) => {
      // Closed, or the thread died, while this request waited for it: nothing would ever answer.
      if (this.worker !== started) throw new FacexError('unavailable', 'the diffusion worker stopped before the job was posted');
      const entries = callbacks.map((each, index) => ({ id: this.nextId++, index, each }));
      const awaited = entries.map(({ id, each }) => this.awaitAnswer<T>(worker, id, each));
      const live = entries.filter(({ id }) => this.pending.has(id));
      if (live.length > 0) worker.postMessage(message(live));
      return awaited;
    });
    return callbacks.map((_, index) => answers.then((all) => all[index]));
  }

  private awaitAnswer<T>(worker: Worker, id: number, callbacks: JobCallbacks): Promise<T> {
    if (callbacks.signal?.aborted) return Promise.reject(callbacks.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const { signal } = callbacks;
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ kind: 'cancel', id } satisfies ToWorker);
        reject(signal?.reason);
      };
      const settle =
        <A extends unknown[]>(then: (...args: A) => void) =>
        (...args: A): void => {
          signal?.removeEventListener('abort', onAbort);
          then(...args);
        };
      this.pending.set(id, { resolve: settle(resolve as (value: unknown) => void), reject: settle(reject), onStep: callbacks.onStep });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private running(): Promise<Worker> {
    if (this.closed) return Promise.reject(new FacexError('unavailable', 'the diffusion generator is closed'));
    this.worker ??= this.spawn();
    return this.worker;
  }

  private spawn(): Promise<Worker> {
    const started = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WORKER_ENTRY_LOADER, { workerData: { entry: ENTRY, settings: this.settings } });
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') {
          ready = true;
          resolve(worker);
        } else if (message.kind === 'failed-to-start') {
          reject(deserializeError(message.error));
          void worker.terminate();
        } else this.route(message);
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
      });
      worker.on('exit', (code) => {
        if (!ready) return reject(new FacexError('unavailable', `the diffusion worker exited with code ${code} while starting`));
        if (this.closed) return;
        this.worker = undefined;
        this.failAll(new FacexError('unavailable', `the diffusion worker exited with code ${code}`));
      });
    });
    // A failed start is reported to its callers; the next render tries again.
    started.catch(() => {
      if (this.worker === started) this.worker = undefined;
    });
    return started;
  }

  private route(message: Exclude<FromWorker, { kind: 'ready' | 'failed-to-start' }>): void {
    const pending = this.pending.get(message.id);
    // A job cancelled here has already been answered; its late messages are dropped.
    if (!pending) return;
    switch (message.kind) {
      case 'step':
        pending.onStep?.(message.step, message.steps);
        return;
      case 'rendered':
      case 'stats':
        this.pending.delete(message.id);
        pending.resolve(message.kind === 'rendered' ? message.image : message.stats);
        return;
      case 'failed':
        this.pending.delete(message.id);
        pending.reject(deserializeError(message.error));
    }
  }

  private failAll(error: FacexError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(error);
    }
  }
}
