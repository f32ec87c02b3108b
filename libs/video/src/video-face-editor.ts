/**
 * A face swap or head swap onto the frames of a video: FORD on every frame (in the analyzer's worker pool, a
 * batch of frames at once), the face track followed from frame to frame, its representation smoothed over
 * time, then the warp generator renders the batch's frames in parallel in its own pool. A frame without the
 * track's face is returned as it came.
 */
import sharp from 'sharp';
import { isFacexError, outputFrameInput, type FaceRepresentation, type Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import type { RgbImage } from '@facex/imaging';
import { followTrack, NEW_TRACK, type TrackState } from './face-track';
import { RepresentationSmoother } from './temporal-smoothing';

/** FORD on one frame: every face, largest first (FaceAnalyzer fits). */
export interface FrameAnalyzer {
  analyzeAll(bytes: Uint8Array): Promise<FaceRepresentation[]>;
}

/** A generator that pastes its edit back into the output frame's full image (WarpGenerator fits). */
export interface FrameRenderer {
  render(recipe: Recipe, inputs: AssemblyInput[]): Promise<{ image: RgbImage }>;
}

export interface VideoFaceEditorOptions {
  analyzer: FrameAnalyzer;
  renderer: FrameRenderer;
  /** A face-swap or head-swap recipe whose target input is the video. */
  recipe: Recipe;
  /** The other inputs (the source photo), at their recipe positions; the target's slot is filled per frame. */
  inputs: ReadonlyArray<AssemblyInput | null>;
  /** Frame rate of the video (the filters' clock). */
  fps: number;
  /** Which face a new track starts on (0: the largest). */
  faceIndex: number;
  /** Off: frame by frame, as a photo edit would (the baseline of the stability measurement). */
  smoothing: boolean;
}

/** Lossless and fast: the frame is decoded again by FORD at once. */
function framePng(frame: RgbImage): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

async function facesOf(analyzer: FrameAnalyzer, frame: RgbImage): Promise<FaceRepresentation[]> {
  try {
    return await analyzer.analyzeAll(await framePng(frame));
  } catch (error) {
    if (isFacexError(error, 'no_face')) return [];
    throw error;
  }
}

export class VideoFaceEditor {
  private track: TrackState = NEW_TRACK;
  private readonly smoother = new RepresentationSmoother();
  private readonly target: number;

  constructor(private readonly options: VideoFaceEditorOptions) {
    const { task } = options.recipe;
    if (task.preset !== 'face-swap' && task.preset !== 'head-swap') throw new Error(`a video target takes face-swap or head-swap, not ${task.preset}`);
    this.target = outputFrameInput(task);
  }

  /** The track's face in each frame, in order (null: none), after tracking and smoothing. */
  async follow(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<Array<FaceRepresentation | null>> {
    const detected = await Promise.all(frames.map(({ frame }) => facesOf(this.options.analyzer, frame)));
    const { fps, faceIndex, smoothing } = this.options;
    return detected.map((faces, k) => {
      const wasTracking = this.track.box !== null && this.track.missed === 0;
      const { index, state } = followTrack(
        this.track,
        faces.map((face) => face.detection.box),
        faceIndex,
        Math.round(fps),
      );
      this.track = state;
      if (index === null) return null;
      // A face found again after a gap may have moved anywhere: the filters start afresh.
      if (!wasTracking) this.smoother.reset();
      return smoothing ? this.smoother.smooth(faces[index], frames[k].index / fps) : faces[index];
    });
  }

  /** Frames that only warm the track and filters up (the frames before a chunk's first). */
  async warmUp(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<void> {
    await this.follow(frames);
  }

  /** The edited frames, in order. */
  async edit(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<RgbImage[]> {
    return this.render(frames, await this.follow(frames));
  }

  /** Each frame with its face (from `follow`) swapped; a frame without one as it came. */
  render(frames: ReadonlyArray<{ frame: RgbImage; index: number }>, faces: ReadonlyArray<FaceRepresentation | null>): Promise<RgbImage[]> {
    return Promise.all(
      frames.map(async ({ frame }, k) => {
        const face = faces[k];
        if (!face) return frame;
        const inputs = this.options.inputs.map((input, i) => (i === this.target ? { representation: face, image: frame } : input)) as AssemblyInput[];
        return (await this.options.renderer.render(this.options.recipe, inputs)).image;
      }),
    );
  }
}
