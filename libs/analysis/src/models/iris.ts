import type { Affine2D } from '@facex/contracts';
import { invertAffine } from '@facex/imaging';
import type { TensorData } from '../runtime/inference-engine';
import { IRIS_MODEL_CONTOUR_POINTS, IRIS_POINTS, LANDMARK, type EyeSide } from '../topology/mesh-landmarks';
import { lineAngle, MODEL_PIXEL_CENTRE, type CropFrame } from './crop-frame';

/** The iris model takes a 64 px upright crop of one eye in 0…1, trained on the subject's right eye. */
export const IRIS_INPUT_SIZE = 64;
/** Output per eye: 71 eye-contour points, then 5 iris points (centre, then four on the rim), each x, y, z. */
const VALUES_PER_EYE = (IRIS_MODEL_CONTOUR_POINTS + IRIS_POINTS) * 3;
/** Crop side as a multiple of the corner-to-corner eye width. */
const EYE_MARGIN = 2.3;

/** Mesh indices of each eye's corners: [outer, inner], the subject's sides. */
const EYE_CORNERS = {
  right: [LANDMARK.rightEyeOuterCorner, LANDMARK.rightEyeInnerCorner],
  left: [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner],
} as const;

export function eyeFrame(mesh: Float32Array, side: EyeSide): CropFrame {
  const [outer, inner] = EYE_CORNERS[side];
  const ox = mesh[outer * 3];
  const oy = mesh[outer * 3 + 1];
  const ix = mesh[inner * 3];
  const iy = mesh[inner * 3 + 1];
  // the angle runs image-left to image-right for both eyes so that crops are upright
  const angle = side === 'right' ? lineAngle(ox, oy, ix, iy) : lineAngle(ix, iy, ox, oy);
  return { cx: (ox + ix) / 2, cy: (oy + iy) / 2, side: Math.hypot(ix - ox, iy - oy) * EYE_MARGIN, angle };
}

/** The subject's left eye is mirrored into the right-eye pose the model was trained on. */
export function eyeIsMirrored(side: EyeSide): boolean {
  return side === 'left';
}

export interface EyeResult {
  /** 71 × 3 eye-contour points in image pixels. */
  contour: Float32Array;
  /** 5 × 3 iris points in image pixels: centre, then four on the rim. */
  iris: Float32Array;
}

export function decodeEye(output: TensorData, batchIndex: number, imageToCrop: Affine2D, mirrored: boolean): EyeResult {
  const [ia, ib, itx, ic, id, ity] = invertAffine(imageToCrop);
  const zScale = Math.sqrt(Math.abs(ia * id - ib * ic));
  const raw = output.data.subarray(batchIndex * VALUES_PER_EYE, (batchIndex + 1) * VALUES_PER_EYE);
  const points = new Float32Array(VALUES_PER_EYE);
  for (let i = 0; i < IRIS_MODEL_CONTOUR_POINTS + IRIS_POINTS; i++) {
    const cropX = raw[i * 3] - MODEL_PIXEL_CENTRE;
    const x = mirrored ? IRIS_INPUT_SIZE - 1 - cropX : cropX;
    const y = raw[i * 3 + 1] - MODEL_PIXEL_CENTRE;
    points[i * 3] = ia * x + ib * y + itx;
    points[i * 3 + 1] = ic * x + id * y + ity;
    points[i * 3 + 2] = raw[i * 3 + 2] * zScale;
  }
  return { contour: points.subarray(0, IRIS_MODEL_CONTOUR_POINTS * 3), iris: points.subarray(IRIS_MODEL_CONTOUR_POINTS * 3) };
}

