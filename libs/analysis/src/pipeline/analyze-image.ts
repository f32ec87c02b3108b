import { FacexError, REPRESENTATION_VERSION, type FaceRepresentation } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import { alignmentFromMesh } from '../geometry/alignment';
import { expressionDescriptor } from '../geometry/expression';
import { gazeOfBothEyes, irisCircle } from '../geometry/gaze';
import { fitLighting } from '../geometry/lighting';
import { fitHead } from '../geometry/pose';
import { regionMasks } from '../geometry/regions';
import type { MeshResult } from '../models/mesh';
import type { Detection } from '../models/detector';
import type { InferenceEngine } from '../runtime/inference-engine';
import { detectFaces, type DetectionOptions, DEFAULT_DETECTION_OPTIONS } from './detect-faces';
import { firstMesh, readFaceSignals, trackedMesh, type FaceSignals } from './face-signals';

export interface AnalyzeRequest {
  image: RgbImage;
  /** Content hash of the encoded image (the asset id). */
  sha256: string;
  /** Which face (0 = largest), or every face. */
  faceIndex: number | 'all';
  /** Also return each face's 512 px aligned crop (cut here, where the decoded pixels already are). */
  withAlignedCrops?: boolean;
  /**
   * A video's tracking: the face's mesh in an earlier frame (MESH_POINTS × 3, image pixels). No detection: a
   * first mesh is read from a crop fitted to it, and the one face returned is that face (none when the mesh
   * model's face score says the track is lost). `faceIndex` is then ignored.
   */
  track?: Float32Array;
}

export interface PackIdentity {
  name: string;
  version: string;
}

export interface AnalysisSettings {
  detection: DetectionOptions;
  /** Face-mesh confidence below which a detection is taken for a false positive. */
  minFaceScore: number;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = { detection: DEFAULT_DETECTION_OPTIONS, minFaceScore: 0.5 };

interface FoundFace {
  detection: Detection;
  mesh: MeshResult;
}

/** FORD on one decoded image: the representation of the requested face, or of every face, largest first. */
export async function analyzeImage(
  request: AnalyzeRequest,
  engine: InferenceEngine,
  pack: PackIdentity,
  settings: AnalysisSettings = DEFAULT_ANALYSIS_SETTINGS,
): Promise<FaceRepresentation[]> {
  const { image, faceIndex } = request;
  if (request.track) return trackedFace(request, engine, pack, request.track, settings);
  const faces = await findFaces(image, engine, settings);
  if (faces.length === 0) throw new FacexError('no_face', 'no face was found in the image');
  if (faceIndex !== 'all' && !(Number.isInteger(faceIndex) && faceIndex >= 0 && faceIndex < faces.length)) {
    throw new FacexError('face_index_out_of_range', `face index ${faceIndex} is out of range: the image has ${faces.length} face(s)`, {
      field: 'faceIndex',
      faceIndex,
      faceCount: faces.length,
    });
  }
  const wanted = faceIndex === 'all' ? faces.map((_, i) => i) : [faceIndex];
  const representations: FaceRepresentation[] = [];
  for (const index of wanted) {
    const signals = await readFaceSignals(image, faces[index].mesh, engine);
    representations.push(representFace(request, pack, faces[index].detection, signals, index, faces.length));
  }
  return representations;
}

/** The face that was at `previous` in the previous frame, read without a detection (see AnalyzeRequest.track). */
async function trackedFace(
  request: AnalyzeRequest,
  engine: InferenceEngine,
  pack: PackIdentity,
  previous: Float32Array,
  settings: AnalysisSettings,
): Promise<FaceRepresentation[]> {
  // Two looks, as after a detection: the crop the final mesh is read from is fitted to this frame's own face.
  const first = await trackedMesh(request.image, previous, engine);
  if (first.faceScore < settings.minFaceScore) return [];
  const signals = await readFaceSignals(request.image, first, engine);
  // The box the detector would give: the mesh's bounds (what the track's overlap test compares).
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < signals.mesh.length; i += 3) {
    [x0, x1] = [Math.min(x0, signals.mesh[i]), Math.max(x1, signals.mesh[i])];
    [y0, y1] = [Math.min(y0, signals.mesh[i + 1]), Math.max(y1, signals.mesh[i + 1])];
  }
  const detection = { box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, score: signals.faceScore, keypoints: new Float32Array(0) };
  return [representFace(request, pack, detection, signals, 0, 1)];
}

/** Detections confirmed by the face-mesh model, largest first. */
async function findFaces(image: RgbImage, engine: InferenceEngine, settings: AnalysisSettings): Promise<FoundFace[]> {
  const found: FoundFace[] = [];
  for (const detection of await detectFaces(image, engine, settings.detection)) {
    const mesh = await firstMesh(image, detection, engine);
    if (mesh.faceScore >= settings.minFaceScore) found.push({ detection, mesh });
  }
  return found;
}

/** The geometry stage: turns the models' signals about one face into its FaceRepresentation. */
export function representFace(
  request: AnalyzeRequest,
  pack: PackIdentity,
  detection: Detection,
  signals: FaceSignals,
  faceIndex: number,
  faceCount: number,
): FaceRepresentation {
  const { image } = request;
  const { mesh, eyes } = signals;
  const alignment = alignmentFromMesh(mesh);
  const head = fitHead(mesh);
  const right = irisCircle(eyes.right.iris, 3);
  const left = irisCircle(eyes.left.iris, 3);
  return {
    version: REPRESENTATION_VERSION,
    asset: { sha256: request.sha256, width: image.width, height: image.height },
    modelPack: { name: pack.name, version: pack.version },
    faceIndex,
    faceCount,
    detection: { box: detection.box, score: detection.score },
    alignment: { matrix: alignment },
    landmarks: mesh,
    irises: Float32Array.from([...left, ...right]),
    identity: signals.embedding,
    motion: {
      pose: head.pose,
      expression: expressionDescriptor(head.canonicalMesh),
      gaze: gazeOfBothEyes(mesh, right, left),
      canonicalMesh: head.canonicalMesh,
    },
    environment: { lighting: fitLighting(mesh, image) },
    masks: regionMasks({
      mesh,
      alignment,
      personMask: { data: signals.personMask, width: 256, height: 256, imageToMask: signals.personMaskMatrix },
      image,
      yaw: head.pose.yaw,
    }),
  };
}
