import type { Box } from '@facex/contracts';
import { cropToTensor, SIGNED_UNIT_RANGE } from '../image/crop-tensor';
import type { RgbImage } from '@facex/imaging';
import { decodeDetections, DETECTOR_INPUT_SIZE, joinDetectorOutputs, letterboxMatrix, suppressOverlaps, type Detection } from '../models/detector';
import type { InferenceEngine } from '../runtime/inference-engine';

export interface DetectionOptions {
  minScore: number;
  iouThreshold: number;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = { minScore: 0.5, iouThreshold: 0.3 };

/**
 * The regions the detector looks at: the whole image, then (for images big enough to profit) overlapping
 * square tiles 0.6 of the shorter side wide. The whole frame finds faces down to about a twelfth of the
 * longer side; the tiles see about 2.5× finer and find the small faces of group photos.
 */
export function detectionRegions(width: number, height: number): Box[] {
  const regions: Box[] = [{ x: 0, y: 0, width, height }];
  const side = Math.round(Math.min(width, height) * TILE_FRACTION);
  if (side < MIN_TILE_SIDE) return regions;
  const stride = side * (1 - TILE_OVERLAP);
  const columns = Math.ceil((width - side) / stride) + 1;
  const rows = Math.ceil((height - side) / stride) + 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = Math.round(Math.min(c * stride, width - side));
      const y = Math.round(Math.min(r * stride, height - side));
      regions.push({ x, y, width: side, height: side });
    }
  }
  return regions;
}

const TILE_FRACTION = 0.6;
const TILE_OVERLAP = 0.25;
/** Below this a tile adds too little resolution over the whole frame to be worth a detector run. */
const MIN_TILE_SIDE = 384;

/** All faces in the image, largest first. */
export async function detectFaces(image: RgbImage, engine: InferenceEngine, options: DetectionOptions = DEFAULT_DETECTION_OPTIONS): Promise<Detection[]> {
  const input = new Float32Array(DETECTOR_INPUT_SIZE * DETECTOR_INPUT_SIZE * 3);
  const candidates: Detection[] = [];
  for (const region of detectionRegions(image.width, image.height)) {
    const matrix = letterboxMatrix(region);
    cropToTensor(image, { matrix, width: DETECTOR_INPUT_SIZE, height: DETECTOR_INPUT_SIZE, range: SIGNED_UNIT_RANGE }, input);
    const outputs = await engine.run('detector', { data: input, dims: [1, DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE, 3] });
    const { scores, regressors } = joinDetectorOutputs(outputs);
    const found = decodeDetections(scores, regressors, matrix, options.minScore);
    // a tile sees faces on its edge cut in half; an overlapping tile or the whole image sees them whole
    candidates.push(...(region.width === image.width && region.height === image.height ? found : found.filter((d) => insideRegion(d.box, region, image))));
  }
  return suppressOverlaps(candidates, options.iouThreshold).sort((p, q) => q.box.width * q.box.height - p.box.width * p.box.height);
}

/** Whether a box stays clear of the region's edges (edges that are also image edges do not count). */
function insideRegion(box: Box, region: Box, image: RgbImage): boolean {
  const margin = region.width * 0.02;
  const clearLeft = region.x === 0 || box.x >= region.x + margin;
  const clearTop = region.y === 0 || box.y >= region.y + margin;
  const clearRight = region.x + region.width >= image.width || box.x + box.width <= region.x + region.width - margin;
  const clearBottom = region.y + region.height >= image.height || box.y + box.height <= region.y + region.height - margin;
  return clearLeft && clearTop && clearRight && clearBottom;
}
