/**
 * One chunk of a video edit: its frames decoded (plus up to half a second before it, which only warm the face
 * track and the smoothing up, so the seam between two chunks does not jump), edited in batches and encoded to
 * an H.264 file of exactly the chunk's frames at the video's frame rate.
 */
import type { RgbImage } from '@facex/imaging';
import type { ToolLimits } from './ffmpeg-runner';
import { fpsValue, type VideoChunk, type VideoProbe } from '@facex/contracts';
import { decodeFrames, encodeFrames, type FrameSize } from './frames';

/** What edits frames (VideoFaceEditor fits; a pass-through for tests of the plumbing). */
export interface FrameBatchEditor {
  warmUp(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<void>;
  edit(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<RgbImage[]>;
}

export interface RenderChunkOptions {
  sourcePath: string;
  probe: VideoProbe;
  chunk: VideoChunk;
  outPath: string;
  editor: FrameBatchEditor;
  /** Size of the edited frames (default: the video's). A photo driven by the video gives the photo's size. */
  outputSize?: FrameSize;
  /** Frames edited at once: the worker pools' parallelism (memory: batch × frame size). */
  batchSize: number;
  /** Called after each encoded frame with the count done in this chunk. */
  onFrames?: (done: number) => Promise<void>;
  /** Default: the decoder and encoder live as long as the frames take to edit, so their time scales with them. */
  limits?: Partial<ToolLimits>;
}

/** Wall-clock allowance per frame of a chunk for its decoder and encoder (FORD and warp run meanwhile). */
export const TOOL_MS_PER_FRAME = 10_000;

export const WARM_UP_SECONDS = 0.5;

export async function renderChunk(options: RenderChunkOptions): Promise<void> {
  const { probe, chunk, editor, batchSize } = options;
  const size = { width: probe.width, height: probe.height };
  const warmUp = Math.min(chunk.startFrame, Math.round(WARM_UP_SECONDS * fpsValue(probe.fps)));
  const range = { startFrame: chunk.startFrame - warmUp, frameCount: chunk.frameCount + warmUp };
  const limits = { timeoutMs: 60_000 + range.frameCount * TOOL_MS_PER_FRAME, ...options.limits };
  let written = 0;
  await encodeFrames(
    options.outPath,
    options.outputSize ?? size,
    probe.fps,
    async (write) => {
      let batch: Array<{ frame: RgbImage; index: number }> = [];
      const flush = async () => {
        const frames = batch;
        batch = [];
        if (frames.length === 0 || frames[0].index < chunk.startFrame) return editor.warmUp(frames);
        for (const edited of await editor.edit(frames)) await write(edited);
        written += frames.length;
        await options.onFrames?.(written);
      };
      const read = await decodeFrames(
        options.sourcePath,
        range,
        size,
        async (frame, i) => {
          const index = range.startFrame + i;
          batch.push({ frame, index });
          // Warm-up frames form batches of their own, so a batch is either warm-up or edited.
          if (batch.length === batchSize || index === chunk.startFrame - 1) await flush();
        },
        limits,
      );
      await flush();
      if (read !== range.frameCount) throw new Error(`chunk ${chunk.index}: decoded ${read} frames, expected ${range.frameCount}`);
    },
    limits,
  );
}
