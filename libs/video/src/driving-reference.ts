/**
 * The reference of relative driving: the driver's motion on the first frame of the whole video where the face
 * track has its face. Every chunk finds it the same way (a fresh track from frame 0, as the first chunk follows
 * it), so each chunk job, retried or not, drives the photo from the same reference without anything shared
 * between the jobs.
 */
import { motionStateOf, videoInputOf, type MotionState, type VideoProbe } from '@facex/contracts';
import type { ToolLimits } from './ffmpeg-runner';
import { decodeFrames } from './frames';
import { TOOL_MS_PER_FRAME } from './render-chunk';
import { VideoFaceEditor, type VideoFaceEditorOptions } from './video-face-editor';
import type { RgbImage } from '@facex/imaging';

/** Frames decoded at once while looking for the face: most clips show it on their first frame. */
const SCAN_FRAMES = 8;

/**
 * The driver's reference motion; null when no frame before `endFrame` has the face. A chunk looks no further
 * than its own last frame: with no face up to there, none of its frames is driven (each is the photo), so a
 * faceless clip does not cost every chunk a scan of the whole video.
 */
export async function findDrivingReference(
  options: VideoFaceEditorOptions,
  sourcePath: string,
  probe: VideoProbe,
  endFrame = probe.frameCount,
  limits?: Partial<ToolLimits>,
): Promise<MotionState | null> {
  const tracker = new VideoFaceEditor({ ...options, drivingReference: undefined });
  const size = { width: probe.width, height: probe.height };
  const end = Math.min(endFrame, probe.frameCount);
  for (let start = 0; start < end; start += SCAN_FRAMES) {
    const range = { startFrame: start, frameCount: Math.min(SCAN_FRAMES, end - start) };
    const frames: Array<{ frame: RgbImage; index: number }> = [];
    await decodeFrames(sourcePath, range, size, async (frame, i) => void frames.push({ frame, index: start + i }), {
      timeoutMs: 60_000 + range.frameCount * TOOL_MS_PER_FRAME,
      ...limits,
    });
    // Frame by frame: the scan stops at the first face, as the track would have found it.
    for (const frame of frames) {
      const [face] = await tracker.follow([frame]);
      if (face) return motionStateOf(face.motion);
    }
  }
  return null;
}

/**
 * The editor's options for the recipe's driving mode: a video driving a photo relatively (the default, task
 * `motion`) gets its reference (findDrivingReference, up to `endFrame`: the chunk's end); any other edit is
 * unchanged.
 */
export async function withDrivingMotion(
  options: VideoFaceEditorOptions,
  sourcePath: string,
  probe: VideoProbe,
  endFrame = probe.frameCount,
): Promise<VideoFaceEditorOptions> {
  const { task } = options.recipe;
  const mode = task.preset === 'reenact' || task.preset === 'animate' ? (task.motion ?? 'relative') : null;
  if (mode !== 'relative' || videoInputOf(task)?.role !== 'motion') return options;
  const reference = await findDrivingReference(options, sourcePath, probe, endFrame);
  return reference ? { ...options, drivingReference: reference } : options;
}
