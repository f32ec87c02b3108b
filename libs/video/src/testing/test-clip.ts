/**
 * Test clips made at test time from a sample photo: the camera path over it (camera-path.ts) encoded to H.264,
 * a sine tone as AAC audio, and optionally frames without any face (a plain gradient) to check pass-through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { warpRgb, type RgbImage } from '@facex/imaging';
import { samplePhoto } from '@facex/analysis/testing';
import type { FrameRate } from '@facex/contracts';
import { encodeFrames, runVideoTool } from '../index';
import { cameraAffine, SLOW_ZOOM_PAN_ROTATE, type CameraPath } from './camera-path';

export interface TestClipOptions {
  /** A sample photo of @facex/analysis/testing (default sample1.jpg, three faces). */
  photo?: string;
  width: number;
  height: number;
  fps: FrameRate;
  frames: number;
  path?: CameraPath;
  /** Frames [from, to) show a faceless gradient instead of the photo. */
  faceless?: [number, number];
  /** Hz of the audio tone; null: no audio track. */
  toneHz?: number | null;
}

export async function decodePhoto(name: string): Promise<RgbImage> {
  const { data, info } = await sharp(samplePhoto(name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

function gradientFrame(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      [data[at], data[at + 1], data[at + 2]] = [(x * 255) / width, (y * 255) / height, 128];
    }
  }
  return { data, width, height };
}

/** Writes the clip to `outPath` (MP4, H.264 + AAC). */
export async function makeTestClip(outPath: string, options: TestClipOptions): Promise<void> {
  const photo = await decodePhoto(options.photo ?? 'sample1.jpg');
  const size = { width: options.width, height: options.height };
  const path = options.path ?? SLOW_ZOOM_PAN_ROTATE;
  const toneHz = options.toneHz === undefined ? 440 : options.toneHz;
  const dir = await mkdtemp(join(tmpdir(), 'facex-clip-'));
  try {
    const videoOnly = toneHz === null ? outPath : join(dir, 'video.mp4');
    // Rendering a long clip's frames takes longer than the default limit allows the encoder.
    const limits = { timeoutMs: 60_000 + options.frames * 1_000 };
    await encodeFrames(
      videoOnly,
      size,
      options.fps,
      async (write) => {
        for (let i = 0; i < options.frames; i++) {
          const [from, to] = options.faceless ?? [0, 0];
          const t = options.frames > 1 ? i / (options.frames - 1) : 0;
          await write(
            i >= from && i < to ? gradientFrame(size.width, size.height) : warpRgb(photo, cameraAffine(photo, size, path, t), size.width, size.height),
          );
        }
      },
      limits,
    );
    if (toneHz === null) return;
    const seconds = (options.frames * options.fps.den) / options.fps.num;
    const tone = `sine=frequency=${toneHz}:sample_rate=44100:duration=${seconds}`;
    const args = [
      '-v',
      'error',
      '-nostdin',
      '-y',
      '-i',
      videoOnly,
      '-f',
      'lavfi',
      '-i',
      tone,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      outPath,
    ];
    await runVideoTool('ffmpeg', args, { limits });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
