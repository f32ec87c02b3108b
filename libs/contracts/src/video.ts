/**
 * What crosses a process boundary about a video: its probe (read once at the start) and its chunks of frames,
 * the unit of work a worker takes, stores and, when killed, repeats. Chunk boundaries depend only on the frame
 * count, frame rate and chunk length, so a retried flow cuts the same chunks (their stored results stay valid).
 */
import { z } from 'zod';
import type { Task } from './recipes';

export const FrameRateSchema = z.strictObject({ num: z.int().min(1), den: z.int().min(1) });
export type FrameRate = z.infer<typeof FrameRateSchema>;

export const VideoProbeSchema = z.strictObject({
  container: z.enum(['mp4', 'webm']),
  videoCodec: z.enum(['h264', 'vp9', 'vp8', 'hevc']),
  width: z.int().min(1),
  height: z.int().min(1),
  /** Exact (a rational): the result is encoded at the same rate. */
  fps: FrameRateSchema,
  frameCount: z.int().min(1),
  durationSeconds: z.number().positive(),
  audio: z.strictObject({ codec: z.string(), sampleRate: z.number().min(0), channels: z.int().min(0) }).nullable(),
});
export type VideoProbe = z.infer<typeof VideoProbeSchema>;

export const VideoChunkSchema = z.strictObject({
  index: z.int().min(0),
  /** The first frame (0-based, in decode order). */
  startFrame: z.int().min(0),
  frameCount: z.int().min(1),
});
export type VideoChunk = z.infer<typeof VideoChunkSchema>;

/** 2 s: short enough that a lost chunk costs little, long enough that a track and its smoothing settle. */
export const DEFAULT_CHUNK_SECONDS = 2;

export function fpsValue(fps: FrameRate): number {
  return fps.num / fps.den;
}

export function planChunks(frameCount: number, fps: FrameRate, chunkSeconds = DEFAULT_CHUNK_SECONDS): VideoChunk[] {
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new Error(`frameCount must be a positive integer, got ${frameCount}`);
  const size = Math.max(1, Math.round(chunkSeconds * fpsValue(fps)));
  const chunks: VideoChunk[] = [];
  for (let start = 0; start < frameCount; start += size) {
    chunks.push({ index: chunks.length, startFrame: start, frameCount: Math.min(size, frameCount - start) });
  }
  return chunks;
}

/**
 * What a video input gives an edit: `frames`, every frame is the edited picture (a face swap or head swap onto
 * a video); `motion`, every frame lends its face's motion (pose, expression, gaze) to the source photo, which
 * is the edited picture (reenact or animate driven by a video). The one rule of which preset takes a video in
 * which input: the gateway refuses any other video input, and the video flow is built from it.
 */
export type VideoRole = 'frames' | 'motion';

/**
 * The input of a task that may be a video, with what its frames give, and the photo it is edited with (the
 * task's source: it lends the face, or is re-posed by the video); null: the task takes no video.
 */
export function videoInputOf(task: Task): { input: number; role: VideoRole; photo: number } | null {
  switch (task.preset) {
    case 'face-swap':
    case 'head-swap':
      return { input: task.target, role: 'frames', photo: task.source };
    case 'reenact':
    case 'animate':
      return { input: task.driving, role: 'motion', photo: task.source };
    default:
      return null;
  }
}

export function videoRoleOf(task: Task, input: number): VideoRole | null {
  const video = videoInputOf(task);
  return video !== null && video.input === input ? video.role : null;
}
