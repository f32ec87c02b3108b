import { FacexError, type EditRequestOptions, type Task, type VideoProbe } from '@facex/contracts';
import { checkDrivenPhotoPixels, videoProbeOfEdit } from './video-input';

const probe: VideoProbe = {
  container: 'mp4',
  videoCodec: 'h264',
  width: 320,
  height: 240,
  fps: { num: 25, den: 1 },
  frameCount: 50,
  durationSeconds: 2,
  audio: null,
};
const faceSwap: Task = { preset: 'face-swap', source: 0, target: 1 };
const plain = { faces: null, options: {} as EditRequestOptions };

/** The field a refusal names. */
function refusedField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof FacexError ? error.details['field'] : error;
  }
  return 'not refused';
}

describe('videoProbeOfEdit', () => {
  it('gives the probe of the input that takes a video, and null for a photo edit', () => {
    expect(videoProbeOfEdit(faceSwap, [null, probe], [], plain)).toBe(probe);
    expect(videoProbeOfEdit(faceSwap, [null, null], [], plain)).toBeNull();
    expect(
      videoProbeOfEdit({ preset: 'head-swap', source: 0, target: 1 }, [null, probe], [], { faces: null, options: { generator: 'warp' } as EditRequestOptions }),
    ).toBe(probe);
  });

  it('refuses a video in an input that takes a photo, naming the input and where a video goes', () => {
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [probe, null], [], plain))).toBe('inputs[0]');
    expect(() => videoProbeOfEdit(faceSwap, [probe, null], [], plain)).toThrow(/a video goes in inputs\[1\]/);
    const inpaint: Task = { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false };
    expect(() => videoProbeOfEdit(inpaint, [probe], [], plain)).toThrow(/inpaint takes no video/);
  });

  it('takes the driving mode of a video driver, and refuses it for a photo driver', () => {
    const reenact: Task = { preset: 'reenact', source: 0, driving: 1, motion: 'absolute' };
    expect(videoProbeOfEdit(reenact, [null, probe], [], plain)).toBe(probe);
    expect(refusedField(() => videoProbeOfEdit(reenact, [null, null], [], plain))).toBe('task.motion');
  });

  it('refuses a video as a mask or a reference face', () => {
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [null, null], [{ field: 'mask.assetId', video: probe }], plain))).toBe('mask.assetId');
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [null, probe], [{ field: 'faces.reference.assetId', video: probe }], plain))).toBe(
      'faces.reference.assetId',
    );
  });

  it('refuses what a video edit cannot do: choosing faces, the reference generator, an image encoding', () => {
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [null, probe], [], { ...plain, faces: { mode: 'all', sort: 'largest-first', threshold: 0.6 } }))).toBe(
      'faces',
    );
    const options = (extra: object) => ({ faces: null, options: extra as EditRequestOptions });
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [null, probe], [], options({ generator: 'reference' })))).toBe('options.generator');
    // The diffusion generator renders videos too (whether a pack is served, the edit service checks).
    expect(videoProbeOfEdit(faceSwap, [null, probe], [], options({ generator: 'diffusion' }))).toBe(probe);
    expect(refusedField(() => videoProbeOfEdit(faceSwap, [null, probe], [], options({ output: { format: 'png', region: 'frame' } })))).toBe('options.output');
  });
});

describe('checkDrivenPhotoPixels', () => {
  const reenact: Task = { preset: 'reenact', source: 0, driving: 1 };
  const sizes = (photo: { width: number; height: number } | null) => (input: number) => (input === 0 ? photo : { width: 320, height: 240 });

  it('refuses a driven photo over the video frame-size limit as video_too_large, naming the photo input and the limit', () => {
    let refusal: unknown;
    try {
      checkDrivenPhotoPixels(reenact, sizes({ width: 400, height: 300 }), 320 * 240);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(FacexError);
    expect(refusal).toMatchObject({ code: 'video_too_large', details: { field: 'inputs[0]', limit: 'maxPixels', max: 76_800, actual: 120_000 } });
  });

  it('accepts a driven photo within the limit, a photo of unknown size, and a video edit whose frames are the video', () => {
    expect(() => checkDrivenPhotoPixels(reenact, sizes({ width: 320, height: 240 }), 320 * 240)).not.toThrow();
    expect(() => checkDrivenPhotoPixels(reenact, sizes(null), 320 * 240)).not.toThrow();
    expect(() => checkDrivenPhotoPixels(faceSwap, sizes({ width: 4000, height: 3000 }), 320 * 240)).not.toThrow();
  });
});
