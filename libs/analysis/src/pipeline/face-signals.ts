import type { Affine2D } from '@facex/contracts';
import { BYTE_RANGE, cropToTensor, UNIT_RANGE } from '../image/crop-tensor';
import type { RgbImage } from '@facex/imaging';
import { cropMatrix, type CropFrame } from '../models/crop-frame';
import type { Detection } from '../models/detector';
import { decodeEmbedding, EMBEDDING_INPUT_SIZE, embeddingCropMatrix } from '../models/embedding';
import { decodeEye, eyeFrame, eyeIsMirrored, IRIS_INPUT_SIZE, type EyeResult } from '../models/iris';
import type { EyeSide } from '../topology/mesh-landmarks';
import { decodeMesh, frameFromDetection, frameFromMesh, MESH_INPUT_SIZE, type MeshResult } from '../models/mesh';
import { decodeSegmentation, SEGMENTATION_INPUT_SIZE, segmentationFrame } from '../models/segmentation';
import type { InferenceEngine } from '../runtime/inference-engine';

/** Everything the models say about one face; geometry turns it into the representation. */
export interface FaceSignals {
  mesh: Float32Array;
  faceScore: number;
  /** The upright square the mesh was read from. */
  meshFrame: CropFrame;
  eyes: Record<EyeSide, EyeResult>;
  /** Raw embedding output, L2-normalised. */
  embedding: Float32Array;
  /** Person probability on a SEGMENTATION_INPUT_SIZE² upright head-and-shoulders crop, and its image → crop map. */
  personMask: Float32Array;
  personMaskMatrix: Affine2D;
}

/**
 * First look at a detection: the mesh read from the detector's box. Its face score tells a face from a
 * detector false positive, and its points give the tighter crop the final mesh is read from.
 */
export async function firstMesh(image: RgbImage, detection: Detection, engine: InferenceEngine): Promise<MeshResult> {
  return runMesh(image, frameFromDetection(detection), engine);
}

/**
 * First look at a tracked face (a video's next frame): the mesh read from a crop fitted to the face's mesh in an
 * earlier frame, in place of a detection. Its face score tells whether the face is still there.
 */
export async function trackedMesh(image: RgbImage, previousMesh: Float32Array, engine: InferenceEngine): Promise<MeshResult> {
  return runMesh(image, frameFromMesh(previousMesh), engine);
}

/** Everything else about a face whose first mesh is known; the mesh is re-read from a crop fitted to it. */
export async function readFaceSignals(image: RgbImage, first: MeshResult, engine: InferenceEngine): Promise<FaceSignals> {
  const frame = frameFromMesh(first.mesh);
  const { mesh, faceScore } = await runMesh(image, frame, engine);
  const eyes = await runIris(image, mesh, engine);
  const embedding = await runEmbedding(image, mesh, engine);
  const person = await runSegmentation(image, frame, engine);
  return { mesh, faceScore, meshFrame: frame, eyes, embedding, personMask: person.mask, personMaskMatrix: person.matrix };
}

async function runMesh(image: RgbImage, frame: CropFrame, engine: InferenceEngine): Promise<MeshResult> {
  const matrix = cropMatrix(frame, MESH_INPUT_SIZE);
  const data = cropToTensor(image, { matrix, width: MESH_INPUT_SIZE, height: MESH_INPUT_SIZE, range: UNIT_RANGE });
  const outputs = await engine.run('mesh', { data, dims: [1, MESH_INPUT_SIZE, MESH_INPUT_SIZE, 3] });
  return decodeMesh(outputs, matrix);
}

/** Both eyes in one batch of two. */
async function runIris(image: RgbImage, mesh: Float32Array, engine: InferenceEngine): Promise<Record<EyeSide, EyeResult>> {
  const sides: EyeSide[] = ['right', 'left'];
  const planeSize = IRIS_INPUT_SIZE * IRIS_INPUT_SIZE * 3;
  const data = new Float32Array(planeSize * 2);
  const matrices = sides.map((side, i) => {
    const matrix = cropMatrix(eyeFrame(mesh, side), IRIS_INPUT_SIZE);
    cropToTensor(image, { matrix, width: IRIS_INPUT_SIZE, height: IRIS_INPUT_SIZE, range: UNIT_RANGE, mirror: eyeIsMirrored(side) }, data, i * planeSize);
    return matrix;
  });
  const outputs = await engine.run('iris', { data, dims: [2, IRIS_INPUT_SIZE, IRIS_INPUT_SIZE, 3] });
  const output = Object.values(outputs)[0];
  return {
    right: decodeEye(output, 0, matrices[0], eyeIsMirrored('right')),
    left: decodeEye(output, 1, matrices[1], eyeIsMirrored('left')),
  };
}

async function runEmbedding(image: RgbImage, mesh: Float32Array, engine: InferenceEngine): Promise<Float32Array> {
  const matrix = embeddingCropMatrix(mesh);
  const data = cropToTensor(image, { matrix, width: EMBEDDING_INPUT_SIZE, height: EMBEDDING_INPUT_SIZE, range: BYTE_RANGE });
  const outputs = await engine.run('embedding', { data, dims: [1, EMBEDDING_INPUT_SIZE, EMBEDDING_INPUT_SIZE, 3] });
  return decodeEmbedding(Object.values(outputs)[0]);
}

async function runSegmentation(image: RgbImage, faceFrame: CropFrame, engine: InferenceEngine) {
  const matrix = cropMatrix(segmentationFrame(faceFrame), SEGMENTATION_INPUT_SIZE);
  const data = cropToTensor(image, { matrix, width: SEGMENTATION_INPUT_SIZE, height: SEGMENTATION_INPUT_SIZE, range: UNIT_RANGE });
  const outputs = await engine.run('segmentation', { data, dims: [1, SEGMENTATION_INPUT_SIZE, SEGMENTATION_INPUT_SIZE, 3] });
  return { mask: decodeSegmentation(Object.values(outputs)[0]), matrix };
}
