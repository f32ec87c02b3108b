/** RGB images to PNG bytes (lossless, so the measured output is exactly what the generator produced). */
import sharp from 'sharp';
import type { RgbImage } from '@facex/imaging';

export function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}
