import type { Affine2D, Box } from '@facex/contracts';
import { invertAffine } from '@facex/imaging';
import { MODEL_PIXEL_CENTRE } from './crop-frame';
import type { TensorData } from '../runtime/inference-engine';

/** BlazeFace (short range) takes a 256 px square in −1…1 and scores 896 anchors. */
export const DETECTOR_INPUT_SIZE = 256;
const KEYPOINTS = 6;
const REGRESSORS = 4 + KEYPOINTS * 2;

/** Detector keypoint order (the subject's sides): right eye, left eye, nose tip, mouth, right ear, left ear. */
export interface Detection {
  box: Box;
  score: number;
  /** KEYPOINTS × 2 in image pixels. */
  keypoints: Float32Array;
}

/**
 * Anchor centres in input pixels: a 16×16 grid with 2 anchors per cell (stride 16), then an 8×8 grid with 6
 * (stride 32) — the order of the model's concatenated outputs.
 */
export function detectorAnchors(size = DETECTOR_INPUT_SIZE): Float32Array {
  const layers = [
    { stride: size / 16, perCell: 2 },
    { stride: size / 8, perCell: 6 },
  ];
  const anchors: number[] = [];
  for (const { stride, perCell } of layers) {
    const cells = Math.ceil(size / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < perCell; n++) anchors.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(anchors);
}

const ANCHORS = detectorAnchors();

/**
 * The image → input map (pixel index coordinates) that letterboxes a region of the image, centred, into the
 * detector's square. The region's pixels span [x − ½, x + width − ½) around their centres.
 */
export function letterboxMatrix(region: Box, size = DETECTOR_INPUT_SIZE): Affine2D {
  const s = size / Math.max(region.width, region.height);
  const tx = (size - region.width * s) / 2 + s * (0.5 - region.x) - 0.5;
  const ty = (size - region.height * s) / 2 + s * (0.5 - region.y) - 0.5;
  return [s, 0, tx, 0, s, ty];
}

/**
 * Joins the model's four outputs (scores and regressors for the 512 fine and 384 coarse anchors, in whatever
 * order the graph lists them) into one score array and one regressor array in anchor order.
 */
export function joinDetectorOutputs(outputs: Record<string, TensorData>): { scores: Float32Array; regressors: Float32Array } {
  const tensors = Object.values(outputs);
  const byShape = (anchors: number, width: number) => {
    const found = tensors.find((t) => t.dims.length === 3 && t.dims[1] === anchors && t.dims[2] === width);
    if (!found) throw new Error(`detector output [1, ${anchors}, ${width}] is missing`);
    return found.data;
  };
  const scores = new Float32Array(ANCHORS.length / 2);
  scores.set(byShape(512, 1), 0);
  scores.set(byShape(384, 1), 512);
  const regressors = new Float32Array(scores.length * REGRESSORS);
  regressors.set(byShape(512, REGRESSORS), 0);
  regressors.set(byShape(384, REGRESSORS), 512 * REGRESSORS);
  return { scores, regressors };
}

/** Decodes anchors scoring at least `minScore` into image-space detections (before suppression). */
export function decodeDetections(
  scores: Float32Array,
  regressors: Float32Array,
  imageToInput: Affine2D,
  minScore: number,
): Detection[] {
  const [ia, , tx, , id, ty] = invertAffine(imageToInput);
  const itx = tx - ia * MODEL_PIXEL_CENTRE;
  const ity = ty - id * MODEL_PIXEL_CENTRE;
  const minLogit = Math.log(minScore / (1 - minScore));
  const detections: Detection[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < minLogit) continue;
    const r = i * REGRESSORS;
    const ax = ANCHORS[i * 2];
    const ay = ANCHORS[i * 2 + 1];
    const cx = regressors[r] + ax;
    const cy = regressors[r + 1] + ay;
    const w = regressors[r + 2];
    const h = regressors[r + 3];
    if (!(w > 0 && h > 0)) continue;
    const keypoints = new Float32Array(KEYPOINTS * 2);
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints[k * 2] = ia * (regressors[r + 4 + k * 2] + ax) + itx;
      keypoints[k * 2 + 1] = id * (regressors[r + 5 + k * 2] + ay) + ity;
    }
    detections.push({
      box: { x: ia * (cx - w / 2) + itx, y: id * (cy - h / 2) + ity, width: ia * w, height: id * h },
      score: 1 / (1 + Math.exp(-scores[i])),
      keypoints,
    });
  }
  return detections;
}

export function intersectionOverUnion(p: Box, q: Box): number {
  const ix = Math.max(0, Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x));
  const iy = Math.max(0, Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y));
  const intersection = ix * iy;
  const union = p.width * p.height + q.width * q.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * Weighted non-maximum suppression: each kept detection is the score-weighted mean of the candidates it
 * suppresses, which steadies boxes and keypoints compared with keeping the single best anchor.
 */
export function suppressOverlaps(candidates: Detection[], iouThreshold: number): Detection[] {
  const sorted = [...candidates].sort((p, q) => q.score - p.score);
  const used = new Uint8Array(sorted.length);
  const kept: Detection[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const group: Detection[] = [];
    for (let j = i; j < sorted.length; j++) {
      if (!used[j] && intersectionOverUnion(sorted[i].box, sorted[j].box) >= iouThreshold) {
        used[j] = 1;
        group.push(sorted[j]);
      }
    }
    kept.push(weightedMean(group));
  }
  return kept;
}

function weightedMean(group: Detection[]): Detection {
  let total = 0;
  let x = 0;
  let y = 0;
  let w = 0;
  let h = 0;
  const keypoints = new Float32Array(KEYPOINTS * 2);
  for (const d of group) {
    total += d.score;
    x += d.box.x * d.score;
    y += d.box.y * d.score;
    w += d.box.width * d.score;
    h += d.box.height * d.score;
    for (let k = 0; k < keypoints.length; k++) keypoints[k] += d.keypoints[k] * d.score;
  }
  for (let k = 0; k < keypoints.length; k++) keypoints[k] /= total;
  return { box: { x: x / total, y: y / total, width: w / total, height: h / total }, score: group[0].score, keypoints };
}
