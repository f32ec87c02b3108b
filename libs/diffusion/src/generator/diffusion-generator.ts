/**
 * The `diffusion` generator (FaceX's own): assembled conditions → FORS → guided, batched sampling with masked
 * fusion → VAE decode → the 512 px crop the render stage pastes back with the fusion mask as alpha. The models
 * run in one worker thread, shared by every concurrent render of this process (that thread's batcher
 * coalesces their U-Net steps); this thread only checks inputs, posts jobs and relays progress.
 */
import type { FacexError, GeneratorName } from '@facex/contracts';
import type { Generator, GeneratorConditions, GeneratorContext, GeneratorOptions } from '@facex/generators';
import type { RgbImage } from '@facex/imaging';
import { loadDiffusionPack } from '../pack/load-diffusion-pack';
import { DIFFUSION_GENERATOR, type DiffusionPackManifest } from '../pack/manifest';
import type { BatcherStats } from './counting-predictor';
import { buildDiffusionJob, randomWeightsRefusal } from './diffusion-job';
import { DiffusionWorkerClient } from './diffusion-worker-client';
import { resolveDiffusionSettings, type DiffusionGeneratorSettings } from './settings';

export class DiffusionGenerator implements Generator {
  readonly name: GeneratorName = DIFFUSION_GENERATOR;
  readonly modelPack: { name: string; version: string };

  private constructor(
    readonly manifest: DiffusionPackManifest,
    private readonly settings: DiffusionGeneratorSettings,
    /** A pack that may not serve edits loads nothing: every render gets the refusal. */
    private readonly backend: { client: DiffusionWorkerClient } | { refusal: FacexError },
  ) {
    this.modelPack = { name: manifest.name, version: manifest.version };
  }

  /** Checks the pack (hashes unless `verifyHashes: false`) and starts the worker thread with its sessions. */
  static async open(options: Partial<DiffusionGeneratorSettings> & Pick<DiffusionGeneratorSettings, 'packDir'>): Promise<DiffusionGenerator> {
    const settings = resolveDiffusionSettings(options);
    const { manifest } = await loadDiffusionPack(settings.packDir, { verifyHashes: settings.verifyHashes });
    const refusal = randomWeightsRefusal(manifest, settings.allowRandomWeights);
    if (refusal) return new DiffusionGenerator(manifest, settings, { refusal });
    // Hashes were checked here; the worker only re-reads the manifest and sizes.
    const client = new DiffusionWorkerClient({ ...settings, verifyHashes: false });
    await client.start();
    return new DiffusionGenerator(manifest, settings, { client });
  }

  async render(conditions: GeneratorConditions, options: GeneratorOptions, context: GeneratorContext): Promise<RgbImage> {
    const worker = this.worker();
    const { sampler: kind, spacing, setAlphaToOne } = this.settings;
    const job = buildDiffusionJob(conditions, options, this.manifest, { kind, spacing, setAlphaToOne });
    // One signal for the worker job: the caller's abort, or the first onStep that rejects (a canceled edit).
    const stop = new AbortController();
    const forwardAbort = (): void => stop.abort(context.signal?.reason);
    if (context.signal?.aborted) forwardAbort();
    else context.signal?.addEventListener('abort', forwardAbort, { once: true });
    let reported: Promise<void> = Promise.resolve();
    const onStep = (step: number, steps: number): void => {
      reported = reported.then(() => context.onStep(step, steps));
      reported.catch((error: unknown) => stop.abort(error));
    };
    try {
      const image = await worker.render(job, { signal: stop.signal, onStep });
      await reported;
      return image;
    } finally {
      context.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  /** U-Net use so far in this generator's worker (calls, samples, largest call). */
  async stats(): Promise<BatcherStats> {
    return this.worker().stats();
  }

  async close(): Promise<void> {
    if ('client' in this.backend) await this.backend.client.close();
  }

  private worker(): DiffusionWorkerClient {
    if ('refusal' in this.backend) throw this.backend.refusal;
    return this.backend.client;
  }
}
