/**
 * The diffusion generator's model side, living in the worker thread (onnxruntime's `run` blocks): the FORS,
 * VAE and U-Net sessions of one pack and the ContinuousBatcher that every concurrent job shares.
 *
 * One job: I^R (and, for masked fusion, the target's frame crop) → VAE encoder → FORS with the assembled
 * tokens (f_SD, cond) and with the null token set (f_SD, uncond) → sampling with classifier-free guidance in
 * the shared batcher, the target's latents kept outside the fusion mask at every step → VAE decoder → the
 * 512 px crop. The null branch keeps I^R: the assembler defines the null condition at the token level, so
 * guidance amplifies the representation while both branches inpaint the same reference.
 */
import * as ort from 'onnxruntime-node';
import { FacexError } from '@facex/contracts';
import { GENERATED_SIZE } from '@facex/generators';
import { downsampleRgb2x, type RgbImage } from '@facex/imaging';
import { ContinuousBatcher, type SamplingProgress } from '../batching/continuous-batcher';
import { FORS_INPUTS, FORS_OUTPUT } from '../graphs/fors';
import { VAE_DECODER_IO, VAE_ENCODER_IO } from '../graphs/vae';
import { loadDiffusionPack } from '../pack/load-diffusion-pack';
import type { DiffusionModelId, DiffusionPackManifest } from '../pack/manifest';
import { LATENT_CHANNELS } from '../sampling/noise-predictor';
import { OrtNoisePredictor } from '../sampling/ort-noise-predictor';
import type { GuidanceContext, SamplingRequest } from '../sampling/sampling-request';
import { CountingNoisePredictor, type BatcherStats } from './counting-predictor';
import { samplesPerRender, type DiffusionJob, type TokenRows } from './diffusion-job';
import { assertProviderListed, diffusionSessionOptions, providerStartError } from './execution-provider';
import { latentFusionMask, rgbToSignedPlanes, signedPlanesToRgb, upsampleRgb2x } from './pixel-tensors';
import type { DiffusionGeneratorSettings } from './settings';

export type EngineSettings = Pick<DiffusionGeneratorSettings, 'packDir' | 'executionProvider' | 'threads' | 'maxBatch' | 'maxWaitMs' | 'verifyHashes'>;

export interface RenderControls {
  signal?: AbortSignal;
  onProgress?: (progress: SamplingProgress) => void;
}

type SessionId = Exclude<DiffusionModelId, 'regionEncoder'>;

function output(results: ort.InferenceSession.OnnxValueMapType, name: string, model: string): Float32Array {
  const value = results[name];
  if (!value || value.type !== 'float32') throw new FacexError('model_pack_invalid', `${model} must return a float32 '${name}' output`, { field: name, model });
  return value.data as Float32Array;
}

export class DiffusionEngine {
  private constructor(
    readonly manifest: DiffusionPackManifest,
    private readonly sessions: Record<SessionId, ort.InferenceSession>,
    private readonly predictor: CountingNoisePredictor,
    private readonly batcher: ContinuousBatcher,
  ) {}

  static async open(settings: EngineSettings): Promise<DiffusionEngine> {
    assertProviderListed(settings.executionProvider, ort.listSupportedBackends());
    const pack = await loadDiffusionPack(settings.packDir, { verifyHashes: settings.verifyHashes });
    const options = diffusionSessionOptions(settings.executionProvider, settings.threads);
    const ids: SessionId[] = ['unet', 'fors', 'vaeEncoder', 'vaeDecoder'];
    const sessions = {} as Record<SessionId, ort.InferenceSession>;
    try {
      for (const id of ids) {
        sessions[id] = await ort.InferenceSession.create(pack.modelPath(id), options).catch((error: unknown) => {
          throw providerStartError(settings.executionProvider, id, error);
        });
      }
    } catch (error) {
      await Promise.all(Object.values(sessions).map((session) => session.release()));
      throw error;
    }
    const predictor = new CountingNoisePredictor(new OrtNoisePredictor(sessions.unet));
    const batcher = new ContinuousBatcher(predictor, { maxBatch: settings.maxBatch, maxWaitMs: settings.maxWaitMs });
    return new DiffusionEngine(pack.manifest, sessions, predictor, batcher);
  }

  get stats(): BatcherStats {
    return this.predictor.stats;
  }

  /** Renders one job to the 512 px crop; rejects with the signal's reason when cancelled (checked between steps). */
  render(job: DiffusionJob, controls: RenderControls = {}): Promise<RgbImage> {
    return this.renderAll([{ job, controls }])[0];
  }

  /**
   * Renders jobs that arrived together (a video chunk's frames), one promise per job. Their sampling starts in
   * the same turn, once every job is encoded, so the batcher's first call holds them all (up to maxBatch)
   * instead of the first encoded job sampling alone; a job that fails or is cancelled leaves the others running.
   */
  renderAll(jobs: ReadonlyArray<{ job: DiffusionJob; controls: RenderControls }>): Array<Promise<RgbImage>> {
    const prepared = jobs.map(({ job, controls }) => this.prepare(job, controls.signal));
    const allPrepared = Promise.allSettled(prepared);
    return jobs.map(async ({ job, controls }, i) => {
      await allPrepared;
      const request = await prepared[i];
      const sampled = await this.batcher.submit(request, { signal: controls.signal, onProgress: controls.onProgress });
      const image = await this.decode(sampled.latents, request.height);
      return job.resolution === GENERATED_SIZE ? image : upsampleRgb2x(image);
    });
  }

  /** A job's sampling request: I^R (and the target's crop, for masked fusion) encoded, f_SD from FORS. */
  private async prepare(job: DiffusionJob, signal: AbortSignal | undefined): Promise<SamplingRequest> {
    const side = job.resolution;
    const latentSide = side / this.manifest.latent.downsampleFactor;
    const atResolution = (image: RgbImage): RgbImage => (side === GENERATED_SIZE ? image : downsampleRgb2x(image));
    const mask = latentFusionMask(job.fusionMask, latentSide);
    // A mask that generates everywhere keeps nothing of the target: no fusion, one image to encode.
    const fuse = mask.some((weight) => weight < 1);
    const latents = await this.encode(fuse ? [atResolution(job.reference), atResolution(job.frameCrop)] : [atResolution(job.reference)]);
    signal?.throwIfAborted();
    const plane = LATENT_CHANNELS * latentSide * latentSide;
    const referenceLatents = latents.subarray(0, plane);
    const context = await this.guidanceContext(job, referenceLatents, latentSide);
    signal?.throwIfAborted();
    return {
      height: latentSide,
      width: latentSide,
      context,
      guidanceScale: job.guidance,
      sampler: { ...job.sampler, steps: job.steps },
      seed: job.seed,
      fusion: fuse ? { targetLatents: latents.slice(plane, 2 * plane), mask } : undefined,
    };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((session) => session.release()));
  }

  /** Images of one size → their scaled latents, one batched encoder call. */
  private async encode(images: readonly RgbImage[]): Promise<Float32Array> {
    const { width, height } = images[0];
    const size = 3 * width * height;
    const input = new Float32Array(images.length * size);
    images.forEach((image, i) => rgbToSignedPlanes(image, input, i * size));
    const results = await this.sessions.vaeEncoder.run({ [VAE_ENCODER_IO.input]: new ort.Tensor('float32', input, [images.length, 3, height, width]) });
    return output(results, VAE_ENCODER_IO.output, 'vaeEncoder');
  }

  /** f_SD for the assembled tokens and, when guided, for the null token set, in one FORS call. */
  private async guidanceContext(job: DiffusionJob, referenceLatents: Float32Array, latentSide: number): Promise<GuidanceContext> {
    const rows: TokenRows[] = samplesPerRender(job.guidance) === 1 ? [job.tokens] : [job.tokens, job.nullTokens];
    const { totalWidth, slots } = this.manifest.tokenLayout;
    const tokens = new Float32Array(rows.length * totalWidth);
    const present = new Float32Array(rows.length * slots.length);
    const reference = new Float32Array(rows.length * referenceLatents.length);
    rows.forEach((row, i) => {
      tokens.set(row.packed, i * totalWidth);
      present.set(row.present, i * slots.length);
      reference.set(referenceLatents, i * referenceLatents.length);
    });
    const results = await this.sessions.fors.run({
      [FORS_INPUTS.tokens]: new ort.Tensor('float32', tokens, [rows.length, totalWidth]),
      [FORS_INPUTS.slotPresent]: new ort.Tensor('float32', present, [rows.length, slots.length]),
      [FORS_INPUTS.referenceLatents]: new ort.Tensor('float32', reference, [rows.length, LATENT_CHANNELS, latentSide, latentSide]),
    });
    const context = output(results, FORS_OUTPUT, 'fors');
    const { tokens: count, width: dim } = this.manifest.context;
    const size = count * dim;
    if (context.length !== rows.length * size)
      throw new FacexError('model_pack_invalid', `fors returned ${context.length} values, the manifest says ${rows.length}×${count}×${dim}`, {
        field: FORS_OUTPUT,
      });
    return { cond: context.slice(0, size), uncond: rows.length === 2 ? context.slice(size) : undefined, tokens: count, dim };
  }

  private async decode(latents: Float32Array, latentSide: number): Promise<RgbImage> {
    const results = await this.sessions.vaeDecoder.run({
      [VAE_DECODER_IO.input]: new ort.Tensor('float32', latents, [1, LATENT_CHANNELS, latentSide, latentSide]),
    });
    const side = latentSide * this.manifest.latent.downsampleFactor;
    return signedPlanesToRgb(output(results, VAE_DECODER_IO.output, 'vaeDecoder'), side, side);
  }
}
