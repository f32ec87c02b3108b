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
import { buildDiffusionJob, randomWeightsRefusal, samplesPerRender, type DiffusionJob } from './diffusion-job';
import { DiffusionWorkerClient, type JobCallbacks } from './diffusion-worker-client';
import { resolveDiffusionSettings, type DiffusionGeneratorSettings } from './settings';

/**
 * One render's link to its caller: the worker job stops on the caller's abort or on the first onStep that
 * rejects (a canceled edit); `reported` waits for the progress already relayed.
 */
function progressRelay(context: GeneratorContext): { callbacks: JobCallbacks; reported(): Promise<void>; detach(): void } {
  const stop = new AbortController();
  const forwardAbort = (): void => stop.abort(context.signal?.reason);
  if (context.signal?.aborted) forwardAbort();
  else context.signal?.addEventListener('abort', forwardAbort, { once: true });
  let reported: Promise<void> = Promise.resolve();
  const onStep = (step: number, steps: number): void => {
    reported = reported.then(() => context.onStep(step, steps));
    reported.catch((error: unknown) => stop.abort(error));
  };
  return {
    callbacks: { signal: stop.signal, onStep },
    reported: () => reported,
    detach: () => context.signal?.removeEventListener('abort', forwardAbort),
  };
}

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

  render(conditions: GeneratorConditions, options: GeneratorOptions, context: GeneratorContext): Promise<RgbImage> {
    return this.renderAll([{ conditions, options, context }])[0];
  }

  /**
   * Renders that belong together (a video chunk's frames) posted to the worker at once: their U-Net steps share
   * the batcher's calls from the first step on (up to `maxBatch` samples a call, see `rendersPerCall`). One
   * promise per render, each failing or stopping on its own as `render` does.
   */
  renderAll(renders: ReadonlyArray<{ conditions: GeneratorConditions; options: GeneratorOptions; context: GeneratorContext }>): Array<Promise<RgbImage>> {
    let worker: DiffusionWorkerClient;
    try {
      worker = this.worker();
    } catch (error) {
      return renders.map(() => Promise.reject(error));
    }
    const { sampler: kind, spacing, setAlphaToOne } = this.settings;
    const posted: Array<{ job: DiffusionJob; callbacks: JobCallbacks; index: number }> = [];
    const refused = new Map<number, unknown>();
    const relays = renders.map(({ context }) => progressRelay(context));
    renders.forEach(({ conditions, options }, index) => {
      try {
        posted.push({
          job: buildDiffusionJob(conditions, options, this.manifest, { kind, spacing, setAlphaToOne }),
          callbacks: relays[index].callbacks,
          index,
        });
      } catch (error) {
        refused.set(index, error);
      }
    });
    const rendered = worker.renderAll(posted);
    // Each posted render's promise at its render's index (a refused render has none).
    const renderOf: Array<Promise<RgbImage>> = [];
    posted.forEach((entry, k) => (renderOf[entry.index] = rendered[k]));
    return renders.map(async (_, index) => {
      if (refused.has(index)) throw refused.get(index);
      const relay = relays[index];
      try {
        const image = await renderOf[index];
        await relay.reported();
        return image;
      } finally {
        relay.detach();
      }
    });
  }

  /** Renders of one guidance scale whose U-Net samples fit in one batcher call (a guided render takes 2). */
  rendersPerCall(guidance: number): number {
    return Math.max(1, Math.floor(this.settings.maxBatch / samplesPerRender(guidance)));
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
