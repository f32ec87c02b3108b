import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { FacexError } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';

export interface DecodeLimits {
  /** Largest accepted width × height, checked from the header before any pixel is decoded. */
  maxPixels: number;
}

/** 50 MP: above any phone camera, far below what a decompression bomb asks for. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 50_000_000 };

export interface DecodedImage {
  image: RgbImage;
  /** sha256 of the bytes as received: the asset's content address. */
  sha256: string;
  format: string;
}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif']);

/**
 * Decodes image bytes to oriented RGB (EXIF orientation applied, alpha flattened on black, colour converted
 * to sRGB). Rejects non-images, truncated files and pixel bombs with typed errors before they cost memory.
 */
export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<DecodedImage> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new FacexError('not_an_image', 'the bytes are not an image in a supported format', { cause: String(error) });
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new FacexError('not_an_image', `unsupported image format ${metadata.format ?? 'unknown'}`, {
      format: metadata.format,
    });
  }
  const pixels = metadata.width * metadata.height;
  if (pixels > limits.maxPixels) {
    throw new FacexError('image_too_large', `image has ${pixels} pixels, more than the limit of ${limits.maxPixels}`, {
      width: metadata.width,
      height: metadata.height,
      limit: limits.maxPixels,
    });
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' })
      .rotate()
      .flatten({ background: '#000000' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder returned ${info.channels} channels`);
    const image: RgbImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    return { image, sha256, format: metadata.format };
  } catch (error) {
    throw new FacexError('corrupt_image', `the ${metadata.format} image is corrupt or truncated`, {
      format: metadata.format,
      cause: String(error),
    });
  }
}
