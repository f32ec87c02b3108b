/**
 * The face track across frames: each frame's face is the detection that overlaps the previous frame's face
 * most, so the edit never jumps to a neighbour. A frame where no detection overlaps enough has no face of the
 * track (it passes through unchanged); after a second without one, the track starts again on the chosen face.
 */
import type { Box } from '@facex/contracts';

/** Below this overlap a detection is another face (or the track left the frame). */
export const MIN_TRACK_IOU = 0.3;

export function boxIou(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const overlap = width * height;
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}

export interface TrackState {
  box: Box | null;
  /** Frames since the track last had a face. */
  missed: number;
}

export const NEW_TRACK: TrackState = { box: null, missed: 0 };

/**
 * The index of the track's face among `boxes` (largest first, as FORD orders them), or null, and the next
 * state. `faceIndex` picks the face a new track starts on; `maxMissed` frames without it end the track.
 */
export function followTrack(state: TrackState, boxes: readonly Box[], faceIndex: number, maxMissed: number): { index: number | null; state: TrackState } {
  if (state.box === null || state.missed > maxMissed) {
    const index = faceIndex < boxes.length ? faceIndex : null;
    return index === null ? { index, state: { box: null, missed: 0 } } : { index, state: { box: boxes[index], missed: 0 } };
  }
  let best: number | null = null;
  let bestIou = MIN_TRACK_IOU;
  boxes.forEach((box, i) => {
    const iou = boxIou(state.box as Box, box);
    if (iou >= bestIou) [best, bestIou] = [i, iou];
  });
  if (best === null) return { index: null, state: { box: state.box, missed: state.missed + 1 } };
  return { index: best, state: { box: boxes[best], missed: 0 } };
}
