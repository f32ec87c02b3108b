/**
 * RGB images to PNG bytes (lossless, so the measured output is exactly what the generator produced). Level 1
 * is fast, for images that are only measured; 9 is small, for images that are kept.
 */
import sharp from 'sharp';
import type { RgbImage } from '@facex/imaging';

export function encodePng(image: RgbImage, compressionLevel = 1): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png({ compressionLevel })
    .toBuffer();
}
