import type { TensorData } from '../runtime/inference-engine';
import type { CropFrame } from './crop-frame';

/** The person-segmentation model takes a 256 px square in 0…1 and returns a 256 px person probability. */
export const SEGMENTATION_INPUT_SIZE = 256;
/** Crop side as a multiple of the face-mesh crop: enough to hold hair, ears and shoulders. */
const HEAD_MARGIN = 2.4;

/** A head-and-shoulders crop around a face, upright, the framing the selfie model expects. */
export function segmentationFrame(face: CropFrame): CropFrame {
  return { cx: face.cx, cy: face.cy + face.side * 0.15, side: face.side * HEAD_MARGIN, angle: face.angle };
}

export function decodeSegmentation(output: TensorData, batchIndex = 0): Float32Array {
  const size = SEGMENTATION_INPUT_SIZE * SEGMENTATION_INPUT_SIZE;
  return Float32Array.from(output.data.subarray(batchIndex * size, (batchIndex + 1) * size));
}
