/**
 * The job handlers of a video edit: `video-chunk` edits a chunk's frames with the edit's generator (the warp on
 * the `video` tier, the diffusion generator on the `gpu` tier, see videoChunkTier) and stores the chunk once (a
 * retry finds it stored and returns at once), `video-mux` (`video` tier) joins the stored chunks with the
 * source's audio into the result, names the generator and pack the chunks report, and completes the edit (its
 * one terminal event: the webhook fires once).
 * Progress: each chunk reports its frames to its job (SSE) and the edit record counts the frames of the stored
 * chunks plus the running chunk's; a canceled edit stops a running chunk at its next batch.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  FacexError,
  fpsValue,
  planChunks,
  videoInputOf,
  type FaceRepresentation,
  type GeneratorName,
  type JobPayloads,
  type JobResults,
} from '@facex/contracts';
import { decodeImage } from '@facex/analysis';
import type { JobContext, JobHandlers } from '@facex/queue';
import { videoChunkKey, type BlobStore } from '@facex/storage';
import type { RgbImage } from '@facex/imaging';
import type { DiffusionGenerator } from '@facex/diffusion';
import type { GeneratorOptions } from '@facex/generators';
import { muxChunks, renderChunk, VideoFaceEditor, withDrivingMotion, type BatchFrameRenderer, type FrameAnalyzer, type FrameRenderer } from '@facex/video';
import { diffusionFrameRenderer } from './diffusion-frame-renderer';
import type { EditLifecycle } from './edit-lifecycle';

/** FORD as a video chunk uses it: every face of a frame, and the photo's face with its crop (FaceAnalyzer fits). */
export interface VideoAnalyzer extends FrameAnalyzer {
  analyzeWithCrop(bytes: Uint8Array, faceIndex: number): Promise<{ representation: FaceRepresentation; alignedCrop: RgbImage }>;
}

/** How one generator renders a chunk's frames, and what the result names. */
export interface ChunkRendering {
  renderer: FrameRenderer | BatchFrameRenderer;
  /** Frames edited at once. */
  batchSize: number;
  generator: GeneratorName;
  modelPack: { name: string; version: string } | null;
}

/** A generator's ChunkRendering for the edit's options. */
export type ChunkRenderingOf = (options: GeneratorOptions) => ChunkRendering;

export interface VideoDeps {
  blobs: BlobStore;
  lifecycle: EditLifecycle;
  analyzer: VideoAnalyzer;
  /**
   * The generators this worker renders video chunks with (the video tier: `warp`; the gpu tier: `diffusion`,
   * where it has a pack). A chunk asking for another is refused, naming options.generator.
   */
  renderers: Partial<Record<GeneratorName, ChunkRenderingOf>>;
  resultTtlMs: number;
}

/** Frames the warp edits at once: two analyzer and two warp threads kept busy. */
const WARP_FRAMES_PER_BATCH = 4;

/** The warp generator: its worker pool renders a batch's frames in parallel. */
export function warpChunkRendering(warp: FrameRenderer): ChunkRenderingOf {
  return () => ({ renderer: warp, batchSize: WARP_FRAMES_PER_BATCH, generator: 'warp', modelPack: null });
}

/** The diffusion generator: a batch is as many frames as its batcher samples in one U-Net call. */
export function diffusionChunkRendering(generator: Pick<DiffusionGenerator, 'renderAll' | 'rendersPerCall' | 'modelPack'>): ChunkRenderingOf {
  return (options) => ({
    renderer: diffusionFrameRenderer(generator, options),
    batchSize: generator.rendersPerCall(options.guidance),
    generator: 'diffusion',
    modelPack: generator.modelPack,
  });
}

/** A video chunk asks for a generator this worker does not render video with. */
export function unservedVideoGenerator(generator: GeneratorName, served: readonly string[]): FacexError {
  const field = 'options.generator';
  return new FacexError('invalid_recipe', `${field}: this worker renders no video chunks with '${generator}' (it serves ${served.join(', ') || 'none'})`, {
    field,
  });
}

/** The chunk's generator as this worker serves it; a typed refusal naming options.generator otherwise. */
function chunkRendering(deps: VideoDeps, options: JobPayloads['video-chunk']['options'], editId: string): ChunkRendering {
  const renderingOf = deps.renderers[options.generator];
  if (!renderingOf) throw unservedVideoGenerator(options.generator, Object.keys(deps.renderers));
  // Every frame of every chunk samples from the same seed (the edit's, else one of its id): the noise does not flicker.
  const seed = options.seed ?? createHash('sha256').update(editId).digest().readUInt32BE(0);
  return renderingOf({ seed, steps: options.steps, guidance: options.guidance, resolution: options.resolution });
}

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'facex-video-job-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Frames of the other chunks already stored: the edit's progress counts them. */
async function storedFrames(blobs: BlobStore, payload: JobPayloads['video-chunk']): Promise<number> {
  const chunks = planChunks(payload.probe.frameCount, payload.probe.fps, payload.chunkSeconds).filter((chunk) => chunk.index !== payload.chunk.index);
  const heads = await Promise.all(chunks.map((chunk) => blobs.head(videoChunkKey(payload.editId, chunk.index))));
  return chunks.reduce((sum, chunk, i) => sum + (heads[i] ? chunk.frameCount : 0), 0);
}

async function renderVideoChunk(deps: VideoDeps, payload: JobPayloads['video-chunk'], context: JobContext): Promise<JobResults['video-chunk']> {
  const { blobs, lifecycle } = deps;
  const { editId, probe, chunk } = payload;
  const steps = probe.frameCount;
  const before = await storedFrames(blobs, payload);
  await lifecycle.begin(editId, { stage: 'render', step: before, steps });
  const rendering = chunkRendering(deps, payload.options, editId);
  const made = { chunkKey: payload.chunkKey, generator: rendering.generator, modelPack: rendering.modelPack };
  if (await blobs.head(payload.chunkKey)) return { ...made, reused: true };
  const { task } = payload.recipe;
  const video = videoInputOf(task);
  if (video === null) throw new FacexError('invalid_recipe', `${task.preset} takes no video`);
  const photoBytes = await blobs.get(payload.photoAssetKey);
  const source = await deps.analyzer.analyzeWithCrop(photoBytes, payload.photoFaceIndex);
  // A photo the video drives is the output frame: each frame is that photo re-posed, at the photo's size.
  const photo = video.role === 'motion' ? (await decodeImage(photoBytes)).image : undefined;
  const inputs = Array.from({ length: payload.recipe.inputs }, (_, i) => (i === video.photo ? { ...source, image: photo } : null));
  const options = {
    analyzer: deps.analyzer,
    renderer: rendering.renderer,
    recipe: payload.recipe,
    inputs,
    fps: fpsValue(probe.fps),
    faceIndex: payload.videoFaceIndex,
    smoothing: true,
    tracking: true,
  };
  await inTempDir(async (dir) => {
    const sourcePath = join(dir, 'source');
    const outPath = join(dir, 'chunk.mp4');
    await writeFile(sourcePath, await blobs.get(payload.videoAssetKey));
    // Relative driving: every chunk finds the same reference frame (the whole video's first with the face).
    const editor = new VideoFaceEditor(await withDrivingMotion(options, sourcePath, probe, chunk.startFrame + chunk.frameCount));
    await renderChunk({
      sourcePath,
      probe,
      chunk,
      outPath,
      editor,
      outputSize: photo,
      batchSize: rendering.batchSize,
      onFrames: async (done) => {
        await context.reportProgress({ stage: 'render', chunk: chunk.index, frame: done, frames: chunk.frameCount });
        // Throws once the edit was canceled: the chunk stops here and its ffmpeg children are killed.
        await lifecycle.progress(editId, { stage: 'render', step: Math.min(steps, before + done), steps });
      },
    });
    // Stored only once complete: a chunk key always holds a whole chunk. It expires like a result, so the chunks
    // of an edit that failed for good (no mux joins and deletes them) do not outlive what it would have made.
    await blobs.put(payload.chunkKey, await readFile(outPath), { contentType: 'video/mp4', expiresAt: new Date(Date.now() + deps.resultTtlMs) });
  });
  return { ...made, reused: false };
}

/** The generator and pack the chunks were rendered with: one for the whole video, else the edit fails. */
function madeBy(chunks: ReadonlyArray<JobResults['video-chunk']>): Pick<JobResults['video-chunk'], 'generator' | 'modelPack'> {
  const [first] = chunks;
  const key = ({ generator, modelPack }: JobResults['video-chunk']) => `${generator}:${modelPack ? `${modelPack.name}@${modelPack.version}` : ''}`;
  if (!first || chunks.some((chunk) => key(chunk) !== key(first)))
    throw new FacexError(
      'model_pack_invalid',
      `the chunks were rendered by different generators or packs (${[...new Set(chunks.map(key))].join(', ')}): a deployment changed mid-edit`,
    );
  return { generator: first.generator, modelPack: first.modelPack };
}

async function muxVideo(deps: VideoDeps, payload: JobPayloads['video-mux'], context: JobContext): Promise<JobResults['video-mux']> {
  const { blobs, lifecycle } = deps;
  const { generator, modelPack } = madeBy((await context.childResults()) as Array<JobResults['video-chunk']>);
  await lifecycle.begin(payload.editId, { stage: 'render', step: payload.probe.frameCount, steps: payload.probe.frameCount });
  const bytes = await inTempDir(async (dir) => {
    const sourcePath = join(dir, 'source');
    await writeFile(sourcePath, await blobs.get(payload.videoAssetKey));
    const chunkPaths = await Promise.all(
      payload.chunkKeys.map(async (key, i) => {
        const path = join(dir, `chunk-${i}.mp4`);
        await writeFile(path, await blobs.get(key));
        return path;
      }),
    );
    const outPath = join(dir, 'result.mp4');
    await muxChunks(chunkPaths, join(dir, 'chunks.txt'), sourcePath, payload.probe, outPath);
    return readFile(outPath);
  });
  const expiresAt = new Date(Date.now() + deps.resultTtlMs);
  await blobs.put(payload.resultKey, bytes, { contentType: 'video/mp4', expiresAt });
  const result = {
    key: payload.resultKey,
    contentType: 'video/mp4' as const,
    generator,
    modelPack,
    donor: null,
    expiresAt: expiresAt.toISOString(),
  };
  // Canceled (or failed elsewhere) meanwhile: the result must not outlive the edit.
  if (!(await lifecycle.complete(payload.editId, result))) await blobs.delete(payload.resultKey);
  await Promise.all(payload.chunkKeys.map((key) => blobs.delete(key)));
  return { resultKey: payload.resultKey };
}

export function createVideoHandlers(deps: VideoDeps): JobHandlers {
  return {
    'video-chunk': (payload, context) => renderVideoChunk(deps, payload, context),
    'video-mux': (payload, context) => muxVideo(deps, payload, context),
  };
}
