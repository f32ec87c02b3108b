/**
 * Limits on an uploaded video, checked on the probe before any work is queued: a clip over a limit is refused
 * with 413 and the limit it broke, so the client knows what to trim.
 */
import { FacexError } from '@facex/contracts';
import type { VideoProbe } from '@facex/contracts';

export interface VideoLimits {
  maxDurationSeconds: number;
  /** Largest width × height of a frame. */
  maxPixels: number;
  maxFrames: number;
}

/** Two minutes of 1080p at 60 fps: the length users ask for; anything longer belongs to a batch tool. */
export const DEFAULT_VIDEO_LIMITS: VideoLimits = { maxDurationSeconds: 120, maxPixels: 1920 * 1080, maxFrames: 120 * 60 };

const ENV_NAMES: Record<keyof VideoLimits, string> = {
  maxDurationSeconds: 'FACEX_VIDEO_MAX_SECONDS',
  maxPixels: 'FACEX_VIDEO_MAX_PIXELS',
  maxFrames: 'FACEX_VIDEO_MAX_FRAMES',
};

/** The limits from FACEX_VIDEO_MAX_SECONDS, FACEX_VIDEO_MAX_PIXELS and FACEX_VIDEO_MAX_FRAMES (positive numbers). */
export function videoLimitsFromEnv(env: NodeJS.ProcessEnv): VideoLimits {
  const limits = { ...DEFAULT_VIDEO_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as Array<keyof VideoLimits>) {
    const text = env[ENV_NAMES[key]];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!(value > 0)) throw new Error(`${ENV_NAMES[key]} must be a positive number, got '${text}'`);
    limits[key] = value;
  }
  return limits;
}

/** Throws `video_too_large` (413) naming the first limit the probe breaks. */
export function checkVideoLimits(probe: VideoProbe, limits: VideoLimits): void {
  const checks: Array<[keyof VideoLimits, number, string]> = [
    ['maxDurationSeconds', probe.durationSeconds, `the video lasts ${probe.durationSeconds.toFixed(2)} s`],
    ['maxPixels', probe.width * probe.height, `its frames are ${probe.width}×${probe.height}`],
    ['maxFrames', probe.frameCount, `it has ${probe.frameCount} frames`],
  ];
  for (const [limit, actual, what] of checks) {
    if (actual > limits[limit]) throw new FacexError('video_too_large', `${what}; the limit is ${limits[limit]}`, { limit, max: limits[limit], actual });
  }
}
