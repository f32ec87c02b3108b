import { FacexError } from '@facex/contracts';
import { checkVideoLimits, DEFAULT_VIDEO_LIMITS, videoLimitsFromEnv } from './limits';
import type { VideoProbe } from '@facex/contracts';

const probe: VideoProbe = {
  container: 'mp4',
  videoCodec: 'h264',
  width: 1280,
  height: 720,
  fps: { num: 30, den: 1 },
  frameCount: 300,
  durationSeconds: 10,
  audio: null,
};

function refusal(candidate: VideoProbe, limits = DEFAULT_VIDEO_LIMITS): FacexError | undefined {
  try {
    checkVideoLimits(candidate, limits);
  } catch (error) {
    if (error instanceof FacexError) return error;
    throw error;
  }
  return undefined;
}

describe('checkVideoLimits', () => {
  it('accepts a clip inside every limit', () => {
    expect(refusal(probe)).toBeUndefined();
  });

  it('refuses with 413 naming the limit broken: duration, pixels, frames', () => {
    const limits = { maxDurationSeconds: 5, maxPixels: 640 * 360, maxFrames: 100 };
    expect(refusal(probe, { ...DEFAULT_VIDEO_LIMITS, maxDurationSeconds: 5 })).toMatchObject({
      status: 413,
      code: 'video_too_large',
      details: { limit: 'maxDurationSeconds', max: 5 },
    });
    expect(refusal(probe, { ...limits, maxDurationSeconds: 60 })?.details).toMatchObject({ limit: 'maxPixels', actual: 1280 * 720 });
    expect(refusal(probe, { ...DEFAULT_VIDEO_LIMITS, maxFrames: 100 })?.details).toMatchObject({ limit: 'maxFrames', actual: 300 });
  });
});

describe('videoLimitsFromEnv', () => {
  it('reads each limit from its variable and keeps the defaults of the others', () => {
    expect(videoLimitsFromEnv({ FACEX_VIDEO_MAX_SECONDS: '30' })).toEqual({ ...DEFAULT_VIDEO_LIMITS, maxDurationSeconds: 30 });
  });

  it('refuses a limit that is not a positive number', () => {
    expect(() => videoLimitsFromEnv({ FACEX_VIDEO_MAX_FRAMES: 'lots' })).toThrow('FACEX_VIDEO_MAX_FRAMES');
  });
});
