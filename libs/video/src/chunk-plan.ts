/**
 * A video's frames cut into chunks of a few seconds: the unit of work a worker takes, stores and, when killed,
 * repeats. Chunk boundaries depend only on the frame count, frame rate and chunk length, so a retried flow
 * cuts the same chunks (their stored results stay valid).
 */
import { fpsValue, type FrameRate } from './probe';

export interface VideoChunk {
  index: number;
  /** The first frame (0-based, in decode order). */
  startFrame: number;
  frameCount: number;
}

/** 2 s: short enough that a lost chunk costs little, long enough that a track and its smoothing settle. */
export const DEFAULT_CHUNK_SECONDS = 2;

export function planChunks(frameCount: number, fps: FrameRate, chunkSeconds = DEFAULT_CHUNK_SECONDS): VideoChunk[] {
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new Error(`frameCount must be a positive integer, got ${frameCount}`);
  const size = Math.max(1, Math.round(chunkSeconds * fpsValue(fps)));
  const chunks: VideoChunk[] = [];
  for (let start = 0; start < frameCount; start += size) {
    chunks.push({ index: chunks.length, startFrame: start, frameCount: Math.min(size, frameCount - start) });
  }
  return chunks;
}
