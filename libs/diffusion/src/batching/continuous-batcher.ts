import { FacexError } from '@facex/contracts';
import { LATENT_CHANNELS, type NoisePredictor } from '../sampling/noise-predictor';
import { SD15_NOISE_SCHEDULE, type NoiseSchedule } from '../sampling/noise-schedule';
import type { SamplingRequest } from '../sampling/sampling-request';
import { SamplingTrajectory } from '../sampling/sampling-trajectory';
import { assembleBatchInputs, batchGroupKey } from './batch-inputs';
import { selectNextBatch, worthWaitingForMore, type BatchCandidate, type BatchSelection } from './select-next-batch';

export interface ContinuousBatcherOptions {
  /** Most U-Net samples in one predictor call; a guided job takes 2 (its halves are never split), so ≥ 2. */
  readonly maxBatch: number;
  /** Longest a call that has room is held back for jobs that may still arrive; 0 never waits. */
  readonly maxWaitMs: number;
  /** Default: SD 1.5. */
  readonly schedule?: NoiseSchedule;
}

export interface SamplingProgress {
  /** Steps completed, 1…steps. */
  readonly step: number;
  readonly steps: number;
}

export interface SubmitOptions {
  /** Cancels the job between steps; its promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every step of this job; a listener that throws fails its job. */
  readonly onProgress?: (progress: SamplingProgress) => void;
}

/** A finished job: its clean latents [4, height, width], ready for the VAE decoder. */
export interface SampledLatents {
  readonly latents: Float32Array;
  readonly height: number;
  readonly width: number;
}

interface ActiveJob extends BatchCandidate {
  readonly trajectory: SamplingTrajectory;
  lastServed: number;
  readonly options: SubmitOptions;
  readonly resolve: (result: SampledLatents) => void;
  readonly reject: (reason: unknown) => void;
  readonly onAbort: () => void;
}

/**
 * Continuous batching for the diffusion worker: many sampling jobs share one NoisePredictor, and their
 * U-Net evaluations are coalesced at step granularity into single calls, each sample at its own timestep
 * and a guided job's cond and uncond halves side by side. Jobs join and leave between steps. One call is in
 * flight at a time (the predictor owns one session); a failed call fails only the jobs in it.
 */
export class ContinuousBatcher {
  private readonly jobs = new Map<number, ActiveJob>();
  private readonly schedule: NoiseSchedule;
  private nextJobId = 0;
  private callCount = 0;
  private running = false;
  /** Wakes a loop that is holding a call back (a job arrived or left). */
  private wake?: () => void;

  constructor(
    private readonly predictor: NoisePredictor,
    private readonly options: ContinuousBatcherOptions,
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 2) {
      throw new RangeError(`maxBatch must be an integer ≥ 2 (a guided job needs 2 samples), got ${options.maxBatch}`);
    }
    if (!(options.maxWaitMs >= 0 && Number.isFinite(options.maxWaitMs))) {
      throw new RangeError(`maxWaitMs must be a finite number ≥ 0, got ${options.maxWaitMs}`);
    }
    this.schedule = options.schedule ?? SD15_NOISE_SCHEDULE;
  }

  /** Jobs admitted and not yet finished, failed or cancelled. */
  get activeJobs(): number {
    return this.jobs.size;
  }

  /** Admits a job; it joins the next call. Invalid requests reject with a typed FacexError. */
  submit(request: SamplingRequest, options: SubmitOptions = {}): Promise<SampledLatents> {
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    let trajectory: SamplingTrajectory;
    try {
      trajectory = new SamplingTrajectory(request, this.schedule);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<SampledLatents>((resolve, reject) => {
      const id = this.nextJobId++;
      const job: ActiveJob = {
        id,
        groupKey: batchGroupKey(trajectory),
        samples: trajectory.samplesPerEvaluation,
        lastServed: -1,
        admitted: id,
        trajectory,
        options,
        resolve,
        reject,
        onAbort: () => this.settle(job, () => reject(options.signal?.reason)),
      };
      this.jobs.set(id, job);
      options.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.wake?.();
      this.ensureRunning();
    });
  }

  private ensureRunning(): void {
    if (this.running) return;
    this.running = true;
    this.runLoop()
      .catch((error: unknown) => {
        // A bug in the loop itself: fail everything rather than leave promises hanging.
        for (const job of [...this.jobs.values()]) this.settle(job, () => job.reject(error));
      })
      .finally(() => {
        this.running = false;
        if (this.jobs.size > 0) this.ensureRunning();
      });
  }

  private async runLoop(): Promise<void> {
    while (this.jobs.size > 0) {
      // Let everything already queued on the event loop (submissions, aborts) land before choosing the call.
      await new Promise((resolve) => setImmediate(resolve));
      const selection = await this.nextSelection();
      if (selection) await this.evaluate(selection);
    }
  }

  /** Selects the next call, holding it back up to maxWaitMs while it has room and nothing else is queued. */
  private async nextSelection(): Promise<BatchSelection | undefined> {
    let selection = selectNextBatch([...this.jobs.values()], this.options.maxBatch);
    const deadline = performance.now() + this.options.maxWaitMs;
    while (selection && worthWaitingForMore(selection, this.options.maxBatch)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await this.waitForChange(remaining);
      selection = selectNextBatch([...this.jobs.values()], this.options.maxBatch);
    }
    return selection;
  }

  /** Resolves after `timeoutMs`, or earlier when a job arrives or leaves. */
  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async evaluate(selection: BatchSelection): Promise<void> {
    const members = selection.ids.map((id) => this.jobs.get(id) as ActiveJob);
    const call = this.callCount++;
    for (const job of members) job.lastServed = call;
    const inputs = assembleBatchInputs(members.map((job) => job.trajectory));
    let noise: Float32Array;
    try {
      noise = await this.predictor.predict(inputs.latents, inputs.timesteps, inputs.context, inputs.dims);
      if (noise.length !== inputs.latents.length) {
        throw new FacexError('model_pack_invalid', `the U-Net returned ${noise.length} values for a batch needing ${inputs.latents.length}`, {
          field: 'noise',
        });
      }
    } catch (error) {
      for (const job of members) this.settle(job, () => job.reject(error));
      return;
    }
    const sampleSize = LATENT_CHANNELS * inputs.dims.height * inputs.dims.width;
    let offset = 0;
    for (const job of members) {
      const cond = noise.subarray(offset, offset + sampleSize);
      const uncond = job.samples === 2 ? noise.subarray(offset + sampleSize, offset + 2 * sampleSize) : undefined;
      offset += job.samples * sampleSize;
      // A job cancelled while the call was in flight has already left.
      if (this.jobs.has(job.id)) this.applyStep(job, cond, uncond);
    }
  }

  private applyStep(job: ActiveJob, cond: Float32Array, uncond: Float32Array | undefined): void {
    const { trajectory } = job;
    try {
      trajectory.advance(cond, uncond);
      job.options.onProgress?.({ step: trajectory.completedSteps, steps: trajectory.steps });
    } catch (error) {
      this.settle(job, () => job.reject(error));
      return;
    }
    if (trajectory.done) {
      const { height, width } = trajectory.request;
      this.settle(job, () => job.resolve({ latents: trajectory.latents, height, width }));
    }
  }

  /** Removes a job and settles its promise once; later settles (abort after finish, …) do nothing. */
  private settle(job: ActiveJob, settlement: () => void): void {
    if (!this.jobs.delete(job.id)) return;
    job.options.signal?.removeEventListener('abort', job.onAbort);
    settlement();
    this.wake?.();
  }
}
