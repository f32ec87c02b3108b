/**
 * The encodings a result is offered in: PNG (lossless), JPEG or WebP with a quality, the full frame or the
 * edited face's square only. sharp writes no metadata unless asked (no EXIF, ICC or XMP of the inputs reaches
 * a result), and runs in libuv's pool, off the event loop.
 */
import sharp from 'sharp';
import { RESULT_CONTENT_TYPES, type Affine2D, type ResultImageFormat, type ResultOutput } from '@facex/contracts';
import { applyAffine, type RgbImage } from '@facex/imaging';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_RESULT_QUALITY = 90;

/**
 * The square around the generated crop's footprint in the frame (the aligned crop already has a margin
 * around the face), clipped to the image.
 */
export function faceBoxOf(cropToImage: Affine2D, cropSize: number, imageWidth: number, imageHeight: number): FaceBox {
  const corners = [
    applyAffine(cropToImage, 0, 0),
    applyAffine(cropToImage, cropSize, 0),
    applyAffine(cropToImage, 0, cropSize),
    applyAffine(cropToImage, cropSize, cropSize),
  ];
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(imageWidth, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(imageHeight, Math.ceil(Math.max(...ys)));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** The smallest box holding every box. */
export function unionBox(boxes: readonly FaceBox[]): FaceBox {
  const x = Math.min(...boxes.map((box) => box.x));
  const y = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x, y, width: right - x, height: bottom - y };
}

export interface EncodedResult {
  bytes: Buffer;
  contentType: (typeof RESULT_CONTENT_TYPES)[ResultImageFormat];
}

/** Encodes raw RGB pixels or an encoded image as `output` asks; `faceBox` is required for `region: face`. */
export async function encodeResult(source: RgbImage | Uint8Array, output: ResultOutput, faceBox?: FaceBox): Promise<EncodedResult> {
  let pipeline =
    'data' in source && 'width' in source ? sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } }) : sharp(source);
  if (output.region === 'face') {
    if (!faceBox) throw new Error('encodeResult: region face needs the face box');
    pipeline = pipeline.extract({ left: faceBox.x, top: faceBox.y, width: faceBox.width, height: faceBox.height });
  }
  const quality = output.quality ?? DEFAULT_RESULT_QUALITY;
  const encoded =
    output.format === 'jpeg'
      ? pipeline.jpeg({ quality, mozjpeg: true })
      : output.format === 'webp'
        ? pipeline.webp({ quality })
        : pipeline.png({ compressionLevel: 6 });
  return { bytes: await encoded.toBuffer(), contentType: RESULT_CONTENT_TYPES[output.format] };
}
