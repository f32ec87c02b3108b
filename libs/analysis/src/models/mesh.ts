import { MESH_POINTS, type Affine2D } from '@facex/contracts';
import { invertAffine } from '@facex/imaging';
import type { TensorData } from '../runtime/inference-engine';
import { LANDMARK } from '../topology/mesh-landmarks';
import { lineAngle, MODEL_PIXEL_CENTRE, type CropFrame } from './crop-frame';
import type { Detection } from './detector';

/** The face-mesh model takes a 192 px upright face crop in 0…1. */
export const MESH_INPUT_SIZE = 192;

/** Crop margin around the detector's face box, as a multiple of its larger side. */
const DETECTION_MARGIN = 1.5;
/** Crop margin around the mesh's own extent when re-cropping from a first mesh. */
const MESH_MARGIN = 1.25;

export function frameFromDetection(detection: Detection): CropFrame {
  const { box, keypoints } = detection;
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    side: Math.max(box.width, box.height) * DETECTION_MARGIN,
    angle: lineAngle(keypoints[0], keypoints[1], keypoints[2], keypoints[3]),
  };
}

/** A tighter, better-rotated crop from a first mesh: what the model sees best. */
export function frameFromMesh(mesh: Float32Array): CropFrame {
  const angle = lineAngle(mesh[LANDMARK.rightEyeOuterCorner * 3], mesh[LANDMARK.rightEyeOuterCorner * 3 + 1], mesh[LANDMARK.leftEyeOuterCorner * 3], mesh[LANDMARK.leftEyeOuterCorner * 3 + 1]);
  // extent measured along the face's own axes so that roll does not inflate the crop
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = mesh[i * 3];
    const y = mesh[i * 3 + 1];
    const u = cos * x + sin * y;
    const v = -sin * x + cos * y;
    minU = Math.min(minU, u);
    maxU = Math.max(maxU, u);
    minV = Math.min(minV, v);
    maxV = Math.max(maxV, v);
  }
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2;
  return {
    cx: cos * cu - sin * cv,
    cy: sin * cu + cos * cv,
    side: Math.max(maxU - minU, maxV - minV) * MESH_MARGIN,
    angle,
  };
}

export interface MeshResult {
  /** MESH_POINTS × 3 in image pixels; z scaled like x. */
  mesh: Float32Array;
  /** The model's confidence that the crop holds a face (0…1). */
  faceScore: number;
}

/** Maps the model's crop-space mesh back to the image. */
export function decodeMesh(outputs: Record<string, TensorData>, imageToCrop: Affine2D, batchIndex = 0): MeshResult {
  const tensors = Object.values(outputs);
  const meshTensor = tensors.find((t) => t.dims[t.dims.length - 1] === MESH_POINTS * 3);
  const flagTensor = tensors.find((t) => t.dims[t.dims.length - 1] === 1);
  if (!meshTensor || !flagTensor) throw new Error('face-mesh outputs are missing');
  const [ia, ib, itx, ic, id, ity] = invertAffine(imageToCrop);
  const zScale = Math.sqrt(Math.abs(ia * id - ib * ic));
  const raw = meshTensor.data.subarray(batchIndex * MESH_POINTS * 3, (batchIndex + 1) * MESH_POINTS * 3);
  const mesh = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = raw[i * 3] - MODEL_PIXEL_CENTRE;
    const y = raw[i * 3 + 1] - MODEL_PIXEL_CENTRE;
    mesh[i * 3] = ia * x + ib * y + itx;
    mesh[i * 3 + 1] = ic * x + id * y + ity;
    mesh[i * 3 + 2] = raw[i * 3 + 2] * zScale;
  }
  return { mesh, faceScore: flagTensor.data[batchIndex] };
}
