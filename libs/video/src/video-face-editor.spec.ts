import { recipeFromPreset, type Box, type FaceRepresentation, type Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { syntheticFace } from '@facex/assemblers/testing';
import type { LabStatistics, RgbImage } from '@facex/imaging';
import { VideoFaceEditor, type BatchFrameRenderer, type FrameAnalyzer, type FrameRenderer } from './video-face-editor';

const frame = (): RgbImage => ({ data: new Uint8Array(12), width: 2, height: 2 });
const frames = (count: number) => Array.from({ length: count }, (_, index) => ({ frame: frame(), index }));

/**
 * FORD as the editor calls it, each call logged with the number of the frame it reads (the editor reads the
 * frames in order; a frame may be read twice), a face always found. `lostAt`: frames where the tracked read
 * loses the face; `detectedAt`: where a detection puts it (default: where the tracked read does).
 */
function fakeAnalyzer(
  lostAt: ReadonlySet<number> = new Set(),
  detectedAt: Box | null = null,
): FrameAnalyzer & { calls: string[]; tracked: FaceRepresentation } {
  const face = { ...syntheticFace().representation, masks: new Uint8Array(64) };
  const tracked = { ...face };
  const detected = detectedAt ? { ...face, detection: { ...face.detection, box: detectedAt } } : { ...face };
  let frameNumber = -1;
  let lastBytes: Uint8Array | null = null;
  const calls: string[] = [];
  // The editor encodes each frame once: new bytes are the next frame.
  const numberOf = (bytes: Uint8Array) => (bytes === lastBytes ? frameNumber : ((lastBytes = bytes), ++frameNumber));
  return {
    calls,
    tracked,
    analyzeAll: async (bytes) => {
      calls.push(`detect ${numberOf(bytes)}`);
      return [detected];
    },
    analyzeTracked: async (bytes, previousMesh) => {
      if (previousMesh.length !== face.landmarks.length) throw new Error('tracked from something else than a mesh');
      const at = numberOf(bytes);
      calls.push(`track ${at}`);
      return lostAt.has(at) ? null : tracked;
    },
  };
}

function recorder(): FrameRenderer & { inputs: AssemblyInput[][] } {
  const inputs: AssemblyInput[][] = [];
  return {
    inputs,
    render: async (_recipe: Recipe, given: AssemblyInput[]) => {
      inputs.push(given);
      return { image: frame() };
    },
  };
}

const swap = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
const source = { representation: syntheticFace().representation, alignedCrop: frame() };

/** A face swap onto the clip, without smoothing: the calls to FORD are what is checked. */
const trackingSwap = (analyzer: FrameAnalyzer, fps: number, tracking: boolean): VideoFaceEditor =>
  new VideoFaceEditor({ analyzer, renderer: recorder(), recipe: swap, inputs: [source, null], fps, faceIndex: 0, smoothing: false, tracking });

/** A face swap onto the clip as the video workers run it (tracking and smoothing on), with `renderer`. */
const smoothedSwap = (renderer: FrameRenderer | BatchFrameRenderer): VideoFaceEditor =>
  new VideoFaceEditor({ analyzer: fakeAnalyzer(), renderer, recipe: swap, inputs: [source, null], fps: 10, faceIndex: 0, smoothing: true, tracking: true });

describe('VideoFaceEditor', () => {
  it('detects where the track starts and once a second, and reads every frame from a mesh', async () => {
    const analyzer = fakeAnalyzer();
    const editor = trackingSwap(analyzer, 4, true);
    const faces = await editor.follow(frames(10));
    // Frame 0: the detection's face read again from its mesh; frames 4 and 8: the read from the previous mesh,
    // which the detection confirms.
    expect(analyzer.calls).toEqual([
      ...['detect 0', 'track 0', 'track 1', 'track 2', 'track 3'],
      ...['track 4', 'detect 4', 'track 5', 'track 6', 'track 7'],
      ...['track 8', 'detect 8', 'track 9'],
    ]);
    expect(faces.every((face) => face === analyzer.tracked)).toBe(true);
  });

  it('reads the face from the detection on a check that finds the track elsewhere than the previous mesh led', async () => {
    const box = syntheticFace().representation.detection.box;
    // Overlapping the tracked face by 0.33: still the track's face, but not where the mesh read it.
    const analyzer = fakeAnalyzer(new Set(), { ...box, x: box.x + box.width / 2 });
    const editor = trackingSwap(analyzer, 2, true);
    await editor.follow(frames(3));
    expect(analyzer.calls).toEqual(['detect 0', 'track 0', 'track 1', 'track 2', 'detect 2', 'track 2']);
  });

  it('falls back to a full detection on the frame where the track is lost', async () => {
    const analyzer = fakeAnalyzer(new Set([2]));
    const editor = trackingSwap(analyzer, 10, true);
    const faces = await editor.follow(frames(4));
    expect(analyzer.calls).toEqual(['detect 0', 'track 0', 'track 1', 'track 2', 'detect 2', 'track 2', 'track 3']);
    expect(faces.every((face) => face !== null)).toBe(true);
  });

  it('detects on every frame without tracking', async () => {
    const analyzer = fakeAnalyzer();
    const editor = trackingSwap(analyzer, 10, false);
    await editor.follow(frames(3));
    expect(analyzer.calls).toEqual(['detect 0', 'detect 1', 'detect 2']);
  });

  it("matches a swapped face to the skin colour of its shot's first frame, and starts a new shot at a cut", async () => {
    const shade = (value: number): RgbImage => ({ data: new Uint8Array(12).fill(value), width: 2, height: 2 });
    // Three dark frames, a cut, three bright ones.
    const clip = [0, 0, 0, 255, 255, 255].map((value, index) => ({ frame: shade(value), index }));
    const given = new Map<RgbImage, LabStatistics | undefined>();
    const skinOf = (frame: RgbImage): LabStatistics => ({ mean: [frame.data[0], 0, 0], std: [1, 1, 1] });
    const renderer: FrameRenderer = {
      render: async (_recipe, inputs, options) => {
        const image = inputs[1].image as RgbImage;
        given.set(image, options?.frameSkin);
        return { image, frameSkin: options?.frameSkin ?? skinOf(image) };
      },
    };
    const editor = smoothedSwap(renderer);
    await editor.render(clip, await editor.follow(clip));
    expect(clip.map(({ frame }) => given.get(frame)?.mean[0])).toEqual([undefined, 0, 0, undefined, 255, 255]);
  });

  it('drives the photo with each frame of a driving video, holding the last face over frames without one', async () => {
    const photo = { ...source, image: frame() };
    const renderer = recorder();
    const editor = new VideoFaceEditor({
      analyzer: fakeAnalyzer(),
      renderer,
      recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }),
      inputs: [photo, null],
      fps: 10,
      faceIndex: 0,
      smoothing: false,
      tracking: false,
    });
    const batch = frames(3);
    const [a, b]: FaceRepresentation[] = [syntheticFace().representation, syntheticFace().representation];
    const out = await editor.render(batch, [null, a, null]);
    // Before any face: the photo as it is; then the photo posed by the driver's face, held over the faceless frame.
    expect(out[0]).toBe(photo.image);
    expect(renderer.inputs).toHaveLength(2);
    for (const inputs of renderer.inputs) {
      expect(inputs[0]).toBe(photo);
      expect(inputs[1].representation).toBe(a);
    }
    await editor.render(batch.slice(0, 1), [b]);
    expect(renderer.inputs[2][1].representation).toBe(b);
  });

  it("gives a batch renderer the batch's frames with a face in one call, smoothing on, and passes the others through", async () => {
    const clip = frames(4);
    const calls: AssemblyInput[][][] = [];
    const edited = clip.map(() => frame());
    const renderer: BatchFrameRenderer = {
      renderBatch: async (given) => {
        calls.push(given.map(({ inputs }) => inputs));
        return given.map(({ inputs }) => edited[clip.findIndex(({ frame: each }) => each === inputs[1].image)]);
      },
    };
    const editor = smoothedSwap(renderer);
    const faces = await editor.follow(clip);
    const out = await editor.render(clip, [faces[0], null, faces[2], faces[3]]);
    // One call, no shot's first frame rendered alone first (a batch renderer matches no skin colour).
    expect(calls).toHaveLength(1);
    expect(calls[0].map((inputs) => inputs[1].image)).toEqual([clip[0].frame, clip[2].frame, clip[3].frame]);
    expect(calls[0].every((inputs) => inputs[0] === source)).toBe(true);
    expect(out).toEqual([edited[0], clip[1].frame, edited[2], edited[3]]);
    expect(out[1]).toBe(clip[1].frame);
  });
});
