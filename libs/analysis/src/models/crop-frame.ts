import type { Affine2D } from '@facex/contracts';

/** A square, rotated region of the image: centre, side and the angle (radians) that makes it upright. */
export interface CropFrame {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** The image → crop map (pixel index coordinates on both sides) that cuts `frame` out upright into a `size` px square. */
export function cropMatrix(frame: CropFrame, size: number): Affine2D {
  const s = size / frame.side;
  const cos = Math.cos(-frame.angle) * s;
  const sin = Math.sin(-frame.angle) * s;
  const centre = (size - 1) / 2;
  return [cos, -sin, centre - cos * frame.cx + sin * frame.cy, sin, cos, centre - sin * frame.cx - cos * frame.cy];
}

/** The angle of the line from p to q, i.e. how far a horizontal feature pair is rotated in the image. */
export function lineAngle(px: number, py: number, qx: number, qy: number): number {
  return Math.atan2(qy - py, qx - px);
}

/**
 * Models report positions in continuous crop coordinates, where pixel i spans [i, i + 1); @facex/imaging puts
 * pixel i at the point i. Subtract this from a model coordinate before mapping it back to the image.
 */
export const MODEL_PIXEL_CENTRE = 0.5;
