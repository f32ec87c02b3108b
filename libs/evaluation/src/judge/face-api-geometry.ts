/**
 * face-api's image geometry around its three networks, reproduced so the converted graphs see exactly the
 * input face-api gives them (src/dom/NetInput.ts, src/ops/padToSquare.ts, src/ssdMobilenetv1,
 * src/faceLandmarkNet, src/classes/FaceLandmarks.ts):
 *   - a network input is an image region padded to a square with black (centred for faces, at the end for the
 *     detector's whole frame) and resized bilinearly as tf.image.resizeBilinear does (no corner alignment, no
 *     half-pixel centres);
 *   - detections are SSD boxes after face-api's non-maximum suppression (IoU 0.5, score > 0.5, at most 100);
 *   - landmarks come from the detection box's crop; the recognition crop is face-api's "dlib alignment": an
 *     upright square around the eye and mouth centres, sized by the eye-to-mouth distance (no rotation).
 */
import type { RgbImage } from '@facex/imaging';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Box.clipAtImageBorders: clipped to the image, then every field floored. */
export function clipAtImageBorders(box: Rect, imageWidth: number, imageHeight: number): Rect {
  const x = Math.max(box.x, 0),
    y = Math.max(box.y, 0);
  const width = Math.min(box.x + box.width - x, imageWidth - x),
    height = Math.min(box.y + box.height - y, imageHeight - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
}

/**
 * `region` of the image (integer, inside it) padded to a square with black and resized to size × size, as
 * NHWC float32 pixels 0…255. `centred` pads both sides (round(half) after, the rest before), otherwise all
 * of the padding goes after the image.
 */
export function squareNetInput(image: RgbImage, region: Rect, size: number, centred: boolean): Float32Array {
  const { width, height } = region;
  const side = Math.max(width, height);
  const difference = side - Math.min(width, height);
  const after = Math.round(difference * (centred ? 0.5 : 1));
  const before = centred ? difference - after : 0;
  const [offsetX, offsetY] = width < height ? [before, 0] : [0, before];
  const out = new Float32Array(size * size * 3);
  const ratio = side / size;
  // tf.image.resizeBilinear (CPU kernel) without align_corners or half_pixel_centers.
  const sample = (px: number, py: number, k: number): number => {
    const x = px - offsetX,
      y = py - offsetY;
    if (x < 0 || y < 0 || x >= width || y >= height) return 0;
    return image.data[((region.y + y) * image.width + region.x + x) * 3 + k];
  };
  for (let r = 0; r < size; r++) {
    const sy = ratio * r,
      y0 = Math.max(0, Math.floor(sy)),
      y1 = Math.min(side - 1, Math.ceil(sy)),
      fy = sy - y0;
    for (let c = 0; c < size; c++) {
      const sx = ratio * c,
        x0 = Math.max(0, Math.floor(sx)),
        x1 = Math.min(side - 1, Math.ceil(sx)),
        fx = sx - x0;
      for (let k = 0; k < 3; k++) {
        const topLeft = sample(x0, y0, k),
          topRight = sample(x1, y0, k),
          bottomLeft = sample(x0, y1, k),
          bottomRight = sample(x1, y1, k);
        const top = topLeft + (topRight - topLeft) * fx,
          bottom = bottomLeft + (bottomRight - bottomLeft) * fx;
        out[(r * size + c) * 3 + k] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

export interface Detection {
  score: number;
  /** In image pixels (not rounded). */
  box: Rect;
}

export const SSD_MIN_CONFIDENCE = 0.5;
export const SSD_MAX_RESULTS = 100;
const SSD_IOU_THRESHOLD = 0.5;

function iou(boxes: Float32Array, i: number, j: number): number {
  const [ay0, ax0, ay1, ax1] = [
    Math.min(boxes[4 * i], boxes[4 * i + 2]),
    Math.min(boxes[4 * i + 1], boxes[4 * i + 3]),
    Math.max(boxes[4 * i], boxes[4 * i + 2]),
    Math.max(boxes[4 * i + 1], boxes[4 * i + 3]),
  ];
  const [by0, bx0, by1, bx1] = [
    Math.min(boxes[4 * j], boxes[4 * j + 2]),
    Math.min(boxes[4 * j + 1], boxes[4 * j + 3]),
    Math.max(boxes[4 * j], boxes[4 * j + 2]),
    Math.max(boxes[4 * j + 1], boxes[4 * j + 3]),
  ];
  const areaA = (ay1 - ay0) * (ax1 - ax0),
    areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const overlap = Math.max(Math.min(ay1, by1) - Math.max(ay0, by0), 0) * Math.max(Math.min(ax1, bx1) - Math.max(ax0, bx0), 0);
  return overlap / (areaA + areaB - overlap);
}

/**
 * SsdMobilenetv1.locateFaces after the network: greedy suppression of boxes overlapping a better one by more
 * than IoU 0.5, then the boxes (fractions of the padded square input) brought to the image's pixels.
 */
export function ssdDetections(boxes: Float32Array, scores: Float32Array, imageWidth: number, imageHeight: number, inputSize: number): Detection[] {
  const candidates = Array.from(scores, (score, index) => ({ score, index }))
    .filter((c) => c.score > SSD_MIN_CONFIDENCE)
    .sort((a, b) => b.score - a.score);
  const selected: number[] = [];
  for (const { index } of candidates) {
    if (selected.length >= Math.min(SSD_MAX_RESULTS, scores.length)) break;
    if (selected.every((other) => iou(boxes, index, other) <= SSD_IOU_THRESHOLD)) selected.push(index);
  }
  // The image fills round(side · scale) of the input square; the rest is padding.
  const scale = inputSize / Math.max(imageWidth, imageHeight);
  const padX = inputSize / Math.round(imageWidth * scale),
    padY = inputSize / Math.round(imageHeight * scale);
  return selected.map((index) => {
    const top = Math.max(0, boxes[4 * index]) * padY,
      bottom = Math.min(1, boxes[4 * index + 2]) * padY;
    const left = Math.max(0, boxes[4 * index + 1]) * padX,
      right = Math.min(1, boxes[4 * index + 3]) * padX;
    return {
      score: scores[index],
      box: { x: left * imageWidth, y: top * imageHeight, width: (right - left) * imageWidth, height: (bottom - top) * imageHeight },
    };
  });
}

/**
 * FaceLandmark68NetBase.postProcess and the shift by the detection box: the net's 136 outputs (fractions of
 * the centred square input) to 68 image points. `crop` is the clipped detection region the net saw, `shift`
 * the detection box's unclipped corner (face-api shifts by it).
 */
export function landmarkPoints(output: Float32Array, inputSize: number, crop: Rect, shift: Point): Point[] {
  const scale = inputSize / Math.max(crop.width, crop.height);
  const [scaledWidth, scaledHeight] = [crop.width * scale, crop.height * scale];
  const padX = scaledWidth < scaledHeight ? Math.abs(scaledWidth - scaledHeight) / 2 : 0;
  const padY = scaledHeight < scaledWidth ? Math.abs(scaledWidth - scaledHeight) / 2 : 0;
  return Array.from({ length: 68 }, (_, i) => ({
    x: ((output[2 * i] * inputSize - padX) / scaledWidth) * crop.width + shift.x,
    y: ((output[2 * i + 1] * inputSize - padY) / scaledHeight) * crop.height + shift.y,
  }));
}

const mean = (points: readonly Point[]): Point => ({
  x: points.reduce((sum, p) => sum + p.x, 0) / points.length,
  y: points.reduce((sum, p) => sum + p.y, 0) / points.length,
});

/** The 68-point scheme's eye and mouth centres: left eye 36–41, right eye 42–47, mouth 48–67. */
export function alignmentCentres(points: readonly Point[]): [Point, Point, Point] {
  return [mean(points.slice(36, 42)), mean(points.slice(42, 48)), mean(points.slice(48, 68))];
}

/**
 * FaceLandmarks.alignDlib: a square of side eye-to-mouth distance / 0.45 around the three centres, placed at
 * (0.5, 0.43) of it. `cropWidth` / `cropHeight` are the landmark crop's size, which face-api (sic) uses to
 * bound the square.
 */
export function dlibAlignedRect(points: readonly Point[], cropWidth: number, cropHeight: number): Rect {
  const centres = alignmentCentres(points);
  const [leftEye, rightEye, mouth] = centres;
  const eyeToMouth = (Math.hypot(mouth.x - leftEye.x, mouth.y - leftEye.y) + Math.hypot(mouth.x - rightEye.x, mouth.y - rightEye.y)) / 2;
  const size = Math.floor(eyeToMouth / 0.45);
  const reference = mean(centres);
  const x = Math.floor(Math.max(0, reference.x - 0.5 * size)),
    y = Math.floor(Math.max(0, reference.y - 0.43 * size));
  return { x, y, width: Math.min(size, cropWidth + x), height: Math.min(size, cropHeight + y) };
}
