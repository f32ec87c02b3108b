/**
 * The face's own axes on the aligned crop, from mesh points already in crop pixels: the hair and ear
 * estimates measure "above the brows", "below the chin" and sizes along these axes (in inter-ocular
 * distances), so they follow the head's roll and scale.
 */
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { eyeCentre, meanOfPoints } from './mesh-points';

export interface FaceFrame {
  /** Inter-ocular distance (eye centre to eye centre), crop pixels. */
  interOcular: number;
  /** The midpoint between the eye centres. */
  originX: number;
  originY: number;
  /** Unit vector across the face, toward the subject's left (image right on a frontal face). */
  acrossX: number;
  acrossY: number;
  /** Unit vector down the face (chin-ward), perpendicular to `across`. */
  downX: number;
  downY: number;
  /** Depths (see `depthAlong`) of the brow line (the upper brow contours' mean) and of the chin. */
  browDepth: number;
  chinDepth: number;
}

const UPPER_BROWS = [...MESH_ANNOTATIONS.rightEyebrowUpper, ...MESH_ANNOTATIONS.leftEyebrowUpper];

/** The frame of a MESH_POINTS × 3 mesh given in crop pixels. */
export function faceFrame(points: Float32Array): FaceFrame {
  const [rx, ry] = eyeCentre(points, 'right');
  const [lx, ly] = eyeCentre(points, 'left');
  const interOcular = Math.hypot(lx - rx, ly - ry) || 1;
  const acrossX = (lx - rx) / interOcular;
  const acrossY = (ly - ry) / interOcular;
  const frame = {
    interOcular,
    originX: (lx + rx) / 2,
    originY: (ly + ry) / 2,
    acrossX,
    acrossY,
    downX: -acrossY,
    downY: acrossX,
    browDepth: 0,
    chinDepth: 0,
  };
  const [bx, by] = meanOfPoints(points, UPPER_BROWS);
  frame.browDepth = depthAlong(frame, bx, by);
  frame.chinDepth = depthAlong(frame, points[3 * LANDMARK.chin], points[3 * LANDMARK.chin + 1]);
  return frame;
}

/** Signed distance of (x, y) below the eye line, along the face's down axis (crop pixels). */
export function depthAlong(frame: FaceFrame, x: number, y: number): number {
  return (x - frame.originX) * frame.downX + (y - frame.originY) * frame.downY;
}

/** Signed distance of (x, y) from the face's vertical axis, toward the subject's left (crop pixels). */
export function offsetAcross(frame: FaceFrame, x: number, y: number): number {
  return (x - frame.originX) * frame.acrossX + (y - frame.originY) * frame.acrossY;
}
