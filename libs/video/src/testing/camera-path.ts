/**
 * A virtual camera moving over a still photo: slow zoom, pan and rotation, the map photo → frame known exactly
 * at every frame, so the motion a pipeline sees in the clip can be taken out again (the stability measures).
 */
import type { Affine2D } from '@facex/contracts';

export interface CameraPath {
  /** Zoom at the start and the end (1: the photo covers the frame). */
  zoom: [number, number];
  /** Centre of the view at the start and the end, as fractions of the photo's width and height. */
  centre: [[number, number], [number, number]];
  /** Rotation in degrees at the start and the end. */
  rotationDegrees: [number, number];
}

/** Gentle enough that faces stay detectable throughout, visible enough that tracking and smoothing matter. */
export const SLOW_ZOOM_PAN_ROTATE: CameraPath = {
  zoom: [1, 1.25],
  centre: [
    [0.45, 0.5],
    [0.55, 0.45],
  ],
  rotationDegrees: [-3, 3],
};

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/** The photo → frame map at `t` (0 at the first frame, 1 at the last). */
export function cameraAffine(photo: { width: number; height: number }, frame: { width: number; height: number }, path: CameraPath, t: number): Affine2D {
  const scale = Math.max(frame.width / photo.width, frame.height / photo.height) * lerp(path.zoom[0], path.zoom[1], t);
  const angle = (lerp(path.rotationDegrees[0], path.rotationDegrees[1], t) * Math.PI) / 180;
  const cx = lerp(path.centre[0][0], path.centre[1][0], t) * photo.width;
  const cy = lerp(path.centre[0][1], path.centre[1][1], t) * photo.height;
  const [cos, sin] = [Math.cos(angle) * scale, Math.sin(angle) * scale];
  // frame = R·s·(photo − c) + frame centre
  return [cos, -sin, frame.width / 2 - (cos * cx - sin * cy), sin, cos, frame.height / 2 - (sin * cx + cos * cy)];
}
