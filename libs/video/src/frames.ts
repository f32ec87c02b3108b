/**
 * Raw RGB frames in and out of ffmpeg: a chunk of a video decoded frame by frame (stdout read with
 * backpressure, so at most a pipe's worth of frames waits in memory) and frames encoded to H.264.
 */
import type { Readable, Writable } from 'node:stream';
import type { RgbImage } from '@facex/imaging';
import { runVideoTool, writeChunk, type ToolLimits } from './ffmpeg-runner';
import type { FrameRate } from '@facex/contracts';

export interface FrameSize {
  width: number;
  height: number;
}

/** Cuts stdout into frames of width × height × 3 bytes and hands each to `onFrame` in order. */
async function readRawFrames(stdout: Readable, size: FrameSize, onFrame: (frame: RgbImage, index: number) => Promise<void>): Promise<number> {
  const frameBytes = size.width * size.height * 3;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  for await (const data of stdout as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    while (pending.length >= frameBytes) {
      // A copy: the frame outlives the pipe's buffer and may be moved to a worker thread.
      const frame = new Uint8Array(pending.subarray(0, frameBytes));
      pending = pending.subarray(frameBytes);
      await onFrame({ data: frame, width: size.width, height: size.height }, index++);
    }
  }
  if (pending.length > 0) throw new Error(`the decoder ended inside a frame (${pending.length} of ${frameBytes} bytes)`);
  return index;
}

/**
 * Decodes frames [startFrame, startFrame + frameCount) of the video's first video track, counted in decode
 * order from the first frame (frame-exact, unlike a seek by time). Resolves with the number of frames read.
 */
export async function decodeFrames(
  path: string,
  range: { startFrame: number; frameCount: number },
  size: FrameSize,
  onFrame: (frame: RgbImage, index: number) => Promise<void>,
  limits?: Partial<ToolLimits>,
): Promise<number> {
  const trim = `trim=start_frame=${range.startFrame}:end_frame=${range.startFrame + range.frameCount}`;
  const args = [
    '-v',
    'error',
    '-nostdin',
    '-i',
    path,
    '-map',
    '0:v:0',
    '-vf',
    trim,
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
  let read = 0;
  await runVideoTool('ffmpeg', args, {
    limits,
    read: async (stdout) => {
      read = await readRawFrames(stdout, size, onFrame);
    },
  });
  return read;
}

/** H.264 (yuv420p, so every player reads it) at the given rate; odd sizes are padded by one pixel. */
export async function encodeFrames(
  outPath: string,
  size: FrameSize,
  fps: FrameRate,
  produce: (write: (frame: RgbImage) => Promise<void>) => Promise<void>,
  limits?: Partial<ToolLimits>,
): Promise<void> {
  const args = [
    ...[
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${size.width}x${size.height}`,
      '-framerate',
      `${fps.num}/${fps.den}`,
      '-i',
      'pipe:0',
    ],
    ...['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-f', 'mp4', outPath],
  ];
  await runVideoTool('ffmpeg', args, {
    limits,
    feed: async (stdin: Writable) => {
      await produce(async (frame) => {
        if (frame.width !== size.width || frame.height !== size.height) {
          throw new Error(`frame is ${frame.width}×${frame.height}, the video ${size.width}×${size.height}`);
        }
        await writeChunk(stdin, frame.data);
      });
      stdin.end();
    },
  });
}
