/**
 * A video edit frame by frame: FORD in the analyzer's worker pool (a full detection where the track starts,
 * is lost or is checked once a second; otherwise the face read from its previous mesh), the face track followed
 * from frame to frame, its representation smoothed over time, then the generator renders a batch of frames: the
 * warp in parallel in its own pool, the diffusion generator as one batch (a BatchFrameRenderer). The video input's role (videoInputOf) decides what a
 * frame's face does:
 * - `frames` (face swap, head swap onto the video): the frame is edited; a frame without the track's face is
 *   returned as it came.
 * - `motion` (reenact, animate driven by the video): the face lends its pose, expression and gaze to the source
 *   photo, which is the output frame; a frame without the track's face holds the last face's motion (the photo
 *   as it is before the first one), so the output does not snap back to the photo's own pose. With a
 *   `drivingReference` (relative motion, the default of a driven edit: driving-reference.ts) the photo keeps
 *   its own motion and takes only the driver's change since that reference (contracts drivenMotionEdit).
 */
import sharp from 'sharp';
import {
  drivenMotionEdit,
  isFacexError,
  motionStateOf,
  outputFrameInput,
  videoInputOf,
  type FaceRepresentation,
  type MotionState,
  type Recipe,
  type VideoRole,
} from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import type { LabStatistics, RgbImage } from '@facex/imaging';
import { boxIou, followTrack, NEW_TRACK, type TrackState } from './face-track';
import { frameHistogram, isCut } from './shot-cut';
import { RepresentationSmoother } from './temporal-smoothing';

/** FORD on one frame (FaceAnalyzer fits). */
export interface FrameAnalyzer {
  /** Every face, largest first (a full detection). */
  analyzeAll(bytes: Uint8Array): Promise<FaceRepresentation[]>;
  /** The face at `previousMesh` in the previous frame, read without a detection; null: the track is lost. */
  analyzeTracked(bytes: Uint8Array, previousMesh: Float32Array): Promise<FaceRepresentation | null>;
}

/**
 * While tracking, a full detection still runs on every frame whose index is a multiple of this many seconds of
 * frames: the track is checked against every face (a drift onto a neighbour or the background is caught).
 */
export const REDETECT_SECONDS = 1;

/**
 * A face read from the previous mesh and a detection overlapping it at least this much are the same face (the
 * two boxes of one face overlap ≈ 0.8 on the stability clip; a neighbour's, under MIN_TRACK_IOU).
 */
export const SAME_FACE_IOU = 0.5;

/** A generator that pastes its edit back into the output frame's full image (WarpGenerator fits). */
export interface FrameRenderer {
  /**
   * `frameSkin`: the skin colour to match a supplied face to instead of the frame's own; the result says which
   * colour it matched to (absent or null: none).
   */
  render(recipe: Recipe, inputs: AssemblyInput[], options?: { frameSkin?: LabStatistics }): Promise<{ image: RgbImage; frameSkin?: LabStatistics | null }>;
}

/**
 * A generator that renders a batch of frames in one call, each pasted back into its output frame's full image
 * (the diffusion generator: the batch's U-Net steps share its batcher's calls). It matches no skin colour.
 */
export interface BatchFrameRenderer {
  /** One output image per entry of `frames` (each frame's recipe, which a driving video may move, and its inputs), in order. */
  renderBatch(frames: ReadonlyArray<{ recipe: Recipe; inputs: AssemblyInput[] }>): Promise<RgbImage[]>;
}

export interface VideoFaceEditorOptions {
  analyzer: FrameAnalyzer;
  renderer: FrameRenderer | BatchFrameRenderer;
  /** A recipe that takes a video (videoInputOf): a face swap or head swap onto it, or a reenact or animate driven by it. */
  recipe: Recipe;
  /**
   * The other inputs (the source photo), at their recipe positions; the video's slot is filled per frame. A
   * photo that is the output frame (reenact, animate) comes with its full image, which each frame is pasted into.
   */
  inputs: ReadonlyArray<AssemblyInput | null>;
  /** Frame rate of the video (the filters' clock). */
  fps: number;
  /** Which face a new track starts on (0: the largest). */
  faceIndex: number;
  /**
   * On: the track's representation smoothed over time, and a supplied face's colour matched to its shot's
   * first frame. Off: frame by frame, as a photo edit would (the baseline of the stability measurement).
   */
  smoothing: boolean;
  /**
   * On: a full detection only where there is no track (a chunk's first frame, after a lost track) and every
   * REDETECT_SECONDS; other frames read the track's face from its last known mesh (see `follow`). Off: a full
   * detection on every frame.
   */
  tracking: boolean;
  /**
   * `motion` only: the driver's motion on its reference frame (the first frame of the whole video with the
   * track's face). Given, each frame drives the photo relatively; absent, with the driver's motion as it is.
   */
  drivingReference?: MotionState;
}

/** Lossless and fast: the frame is decoded again by FORD at once. */
function framePng(frame: RgbImage): Promise<Buffer> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

async function facesOf(analyzer: FrameAnalyzer, png: Uint8Array): Promise<FaceRepresentation[]> {
  try {
    return await analyzer.analyzeAll(png);
  } catch (error) {
    if (isFacexError(error, 'no_face')) return [];
    throw error;
  }
}

type Frame = { frame: RgbImage; index: number };

export class VideoFaceEditor {
  private track: TrackState = NEW_TRACK;
  /** The track's face in the last frame followed (what the next frame is tracked from); null: none there. */
  private lastFace: FaceRepresentation | null = null;
  private histogram: Float32Array | null = null;
  /**
   * Shots: runs of frames without a cut in which the track holds (a cut or a new track starts the next). Each
   * followed frame's shot waits here for `render`; the current shot's skin colour, from its first frame.
   */
  private shot = 0;
  private readonly shotOf = new Map<number, number>();
  private shotSkin: { shot: number; frameSkin: LabStatistics | undefined } | null = null;
  private readonly smoother = new RepresentationSmoother();
  private readonly video: number;
  private readonly role: VideoRole;
  /** `motion`: the output before any frame had the track's face. */
  private readonly photo: RgbImage | null;
  /** `motion`: the photo's own motion, which a driving reference moves relatively. */
  private readonly photoState: MotionState | null;
  /** `motion`: the last frame with the track's face, held over frames without one. */
  private lastDriver: AssemblyInput | null = null;

  constructor(private readonly options: VideoFaceEditorOptions) {
    const { task } = options.recipe;
    const video = videoInputOf(task);
    if (video === null) throw new Error(`${task.preset} takes no video`);
    [this.video, this.role] = [video.input, video.role];
    this.photo = this.role === 'motion' ? (options.inputs[outputFrameInput(task)]?.image ?? null) : null;
    const photoFace = this.role === 'motion' ? options.inputs[video.photo]?.representation : null;
    this.photoState = photoFace ? motionStateOf(photoFace.motion) : null;
    if (this.role === 'motion' && !this.photo) throw new Error('the photo a video drives needs its full image');
  }

  /**
   * The track's face in each frame, in order (null: none), after tracking and smoothing. With `tracking`, each
   * frame is read from the previous frame's mesh of the face (smoothed when smoothing), so the frames go one after
   * the other; a frame where the track is lost falls back to a full detection, and a detection's face is read
   * again from its mesh (readFromMesh). (Reading a whole batch in parallel
   * from the mesh before it measured 0.15 px of landmark jitter instead of 0.11 on the stability clip.)
   */
  async follow(frames: ReadonlyArray<Frame>): Promise<Array<FaceRepresentation | null>> {
    const { analyzer, fps, faceIndex, smoothing, tracking } = this.options;
    const every = Math.max(1, Math.round(fps * REDETECT_SECONDS));
    const out: Array<FaceRepresentation | null> = [];
    for (const { frame, index: frameIndex } of frames) {
      // A cut: the face is looked for by a detection, its filters and colour start afresh.
      const histogram = frameHistogram(frame);
      const cut = this.histogram !== null && isCut(this.histogram, histogram);
      this.histogram = histogram;
      if (cut) this.lastFace = null;
      const wasTracking = !cut && this.track.box !== null && this.track.missed === 0;
      // Encoded once: a frame may be read twice (readFromMesh).
      const png = await framePng(frame);
      // A check frame is read from the mesh too: its detection confirms (or corrects) the track.
      const tracked = tracking && this.lastFace ? await analyzer.analyzeTracked(png, this.lastFace.landmarks) : null;
      let face = tracked;
      if (tracked && frameIndex % every !== 0) this.track = { box: tracked.detection.box, missed: 0 };
      else {
        const faces = await facesOf(analyzer, png);
        const { index, state } = followTrack(
          this.track,
          faces.map((candidate) => candidate.detection.box),
          faceIndex,
          Math.round(fps),
        );
        this.track = state;
        face = index === null ? null : await this.readFromMesh(png, faces[index], tracked);
      }
      // No face here: the next frame looks for it by a full detection.
      if (!face) {
        out.push((this.lastFace = null));
        continue;
      }
      // A face found again after a gap (or after a cut) may have moved anywhere: the filters start afresh.
      if (!wasTracking) {
        this.smoother.reset();
        this.shot += 1;
      }
      this.shotOf.set(frameIndex, this.shot);
      out.push((this.lastFace = smoothing ? this.smoother.smooth(face, frameIndex / fps) : face));
    }
    return out;
  }

  /**
   * With tracking, the face a detection found, read as every other frame of the track is: from a mesh. FORD's
   * read from a detection's crop lies a fraction of a pixel off its read from a mesh's crop, and that offset
   * showed as a jolt of the edit wherever the track started or was checked (docs/eval/video-stability.md). A
   * check that confirms the track (the detection is the face read from the previous mesh) keeps that read;
   * otherwise the face is read again from the detection's own mesh.
   */
  private async readFromMesh(png: Uint8Array, detected: FaceRepresentation, tracked: FaceRepresentation | null): Promise<FaceRepresentation> {
    if (!this.options.tracking) return detected;
    if (tracked && boxIou(tracked.detection.box, detected.detection.box) >= SAME_FACE_IOU) return tracked;
    return (await this.options.analyzer.analyzeTracked(png, detected.landmarks)) ?? detected;
  }

  /** Frames that only warm the track and filters up (the frames before a chunk's first). */
  async warmUp(frames: ReadonlyArray<Frame>): Promise<void> {
    const faces = await this.follow(frames);
    // `motion`: a chunk opening without a face holds the warm-up's last one.
    const k = faces.map((face) => face !== null).lastIndexOf(true);
    if (k >= 0) this.lastDriver = { representation: faces[k] as FaceRepresentation, image: frames[k].frame };
  }

  /** The recipe of a frame: with a driving reference, its driver's change since the reference moves the photo. */
  private drivenRecipe(driver: AssemblyInput | null): Recipe {
    const { recipe, drivingReference } = this.options;
    if (!drivingReference || !driver?.representation || !this.photoState) return recipe;
    return { ...recipe, motion: drivenMotionEdit(this.photoState, drivingReference, motionStateOf(driver.representation.motion), recipe.motion) };
  }

  /** The edited frames, in order. */
  async edit(frames: ReadonlyArray<Frame>): Promise<RgbImage[]> {
    return this.render(frames, await this.follow(frames));
  }

  /**
   * Each frame's output from its face (from `follow`), see the module comment. A BatchFrameRenderer gets the
   * batch's frames with a face in one call. With smoothing, the warp renders the first frame of a shot alone
   * first: the skin colour it matched a supplied face to is the whole shot's.
   */
  async render(frames: ReadonlyArray<Frame>, faces: ReadonlyArray<FaceRepresentation | null>): Promise<RgbImage[]> {
    // The video's input per frame, decided in order (a held driver is the one before it).
    const videoInputs = frames.map(({ frame }, k): AssemblyInput | null => {
      const face = faces[k];
      if (this.role === 'frames') return face && { representation: face, image: frame };
      if (face) this.lastDriver = { representation: face, image: frame };
      return this.lastDriver;
    });
    const shots = frames.map(({ index }) => this.shotOf.get(index));
    for (const { index } of frames) this.shotOf.delete(index);
    const inputsOf = (k: number) => this.options.inputs.map((input, i) => (i === this.video ? videoInputs[k] : input)) as AssemblyInput[];
    const { renderer, smoothing } = this.options;
    const recipeOf = (k: number): Recipe => this.drivenRecipe(videoInputs[k]);
    const unedited = (k: number): RgbImage => this.photo ?? frames[k].frame;
    if ('renderBatch' in renderer) {
      const edited = frames.flatMap((_, k) => (videoInputs[k] ? [k] : []));
      const images = await renderer.renderBatch(edited.map((k) => ({ recipe: recipeOf(k), inputs: inputsOf(k) })));
      const byFrame = new Map(edited.map((k, i) => [k, images[i]]));
      return frames.map((_, k) => byFrame.get(k) ?? unedited(k));
    }
    // The skin colour of each shot in the batch (a batch may hold a cut), from the shot's first frame.
    const skins = new Map<number, LabStatistics | undefined>(this.shotSkin ? [[this.shotSkin.shot, this.shotSkin.frameSkin]] : []);
    const firsts = new Map<number, RgbImage>();
    for (let k = 0; k < frames.length; k++) {
      const shot = shots[k];
      if (!smoothing || this.role !== 'frames' || !videoInputs[k] || shot === undefined || skins.has(shot)) continue;
      const first = await renderer.render(recipeOf(k), inputsOf(k));
      skins.set(shot, first.frameSkin ?? undefined);
      this.shotSkin = { shot, frameSkin: first.frameSkin ?? undefined };
      firsts.set(k, first.image);
    }
    return Promise.all(
      frames.map(async (_, k) => {
        const done = firsts.get(k);
        if (done) return done;
        if (!videoInputs[k]) return unedited(k);
        const shot = shots[k];
        const frameSkin = smoothing && shot !== undefined ? skins.get(shot) : undefined;
        return (await renderer.render(recipeOf(k), inputsOf(k), frameSkin ? { frameSkin } : undefined)).image;
      }),
    );
  }
}
