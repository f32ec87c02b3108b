import type { Affine2D } from '@facex/contracts';
import { fitSimilarity } from '@facex/imaging';
import { eyeCentre } from '../geometry/mesh-points';
import type { TensorData } from '../runtime/inference-engine';
import { LANDMARK } from '../topology/mesh-landmarks';

/** The recognition model takes a 112 px face aligned to the ArcFace five-point template, in 0…255. */
export const EMBEDDING_INPUT_SIZE = 112;

/**
 * ArcFace's reference positions in the 112 px crop, in image-left-to-right order: eye, eye, nose tip,
 * mouth corner, mouth corner.
 */
const TEMPLATE = [38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041];

/** The five template points measured on a mesh, same order as the template. */
export function templatePoints(mesh: Float32Array): Float32Array {
  const point = (index: number) => [mesh[index * 3], mesh[index * 3 + 1]];
  return Float32Array.from([
    ...eyeCentre(mesh, 'right').slice(0, 2),
    ...eyeCentre(mesh, 'left').slice(0, 2),
    ...point(LANDMARK.noseTip),
    ...point(LANDMARK.rightMouthCorner),
    ...point(LANDMARK.leftMouthCorner),
  ]);
}

export function embeddingCropMatrix(mesh: Float32Array): Affine2D {
  return fitSimilarity(templatePoints(mesh), TEMPLATE, TEMPLATE.length / 2);
}

/** L2-normalises the embedding (α): cosine similarity becomes a dot product. */
export function decodeEmbedding(output: TensorData, batchIndex = 0): Float32Array {
  const width = output.dims[output.dims.length - 1];
  const embedding = Float32Array.from(output.data.subarray(batchIndex * width, (batchIndex + 1) * width));
  let norm = 0;
  for (const v of embedding) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < width; i++) embedding[i] /= norm;
  return embedding;
}
