/** Real photos (face-api demo samples) cropped and resized to a model input, for equivalence tests. */
import { join } from 'path';
import sharp from 'sharp';

const SAMPLE_DIR = join(__dirname, '../../../../node_modules/@vladmandic/face-api/demo');

/** A crop given as fractions of the image: centre (cx, cy) and side as a fraction of the shorter edge. */
export interface CropSpec {
  cx: number;
  cy: number;
  side: number;
}

export const WHOLE_IMAGE: CropSpec = { cx: 0.5, cy: 0.5, side: 1 };

/**
 * Sample `index` (1..6), square crop, resized to size x size RGB, scaled linearly from [0, 255] to `range`.
 * Returns NHWC float data for one image.
 */
export async function sampleInput(index: number, size: number, range: readonly [number, number], crop: CropSpec): Promise<Float32Array> {
  const image = sharp(join(SAMPLE_DIR, `sample${index}.jpg`));
  const { width = 0, height = 0 } = await image.metadata();
  const side = Math.round(Math.min(width, height) * crop.side);
  const left = Math.min(Math.max(Math.round(width * crop.cx - side / 2), 0), width - side);
  const top = Math.min(Math.max(Math.round(height * crop.cy - side / 2), 0), height - side);
  const pixels = await image.extract({ left, top, width: side, height: side }).resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [low, high] = range;
  const scale = (high - low) / 255;
  return Float32Array.from(pixels, (value) => low + value * scale);
}

/** Concatenates single-image NHWC data into one batch. */
export function batchOf(images: readonly Float32Array[]): Float32Array {
  const batch = new Float32Array(images.reduce((sum, image) => sum + image.length, 0));
  let offset = 0;
  for (const image of images) {
    batch.set(image, offset);
    offset += image.length;
  }
  return batch;
}
