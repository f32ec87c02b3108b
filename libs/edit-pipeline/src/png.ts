/** PNG/JPEG encoding of pixel buffers (libvips via sharp, off the event loop). */
import sharp from 'sharp';
import { FacexError } from '@facex/contracts';
import type { MaskPlane, RgbImage } from '@facex/imaging';

type Plane = { data: Uint8Array; width: number; height: number };

function encoder(plane: Plane, channels: 1 | 3) {
  return sharp(plane.data, { raw: { width: plane.width, height: plane.height, channels } });
}

/** Fast PNG (low compression): conditions are intermediate data read once by the render stage. */
export function encodePng(plane: Plane, channels: 1 | 3, compressionLevel = 2): Promise<Buffer> {
  return encoder(plane, channels).png({ compressionLevel }).toBuffer();
}

export function encodeJpeg(image: RgbImage, quality = 92): Promise<Buffer> {
  return encoder(image, 3).jpeg({ quality }).toBuffer();
}

async function decodePlane(bytes: Uint8Array, channels: 1 | 3, field: string): Promise<Plane> {
  const pipeline = sharp(bytes);
  const { data, info } = await (channels === 1 ? pipeline.extractChannel(0) : pipeline.removeAlpha().toColourspace('srgb'))
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new FacexError('invalid_representation', `${field}: expected ${channels} channel(s), got ${info.channels}`, { field });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export const decodeRgbPng = (bytes: Uint8Array, field: string): Promise<RgbImage> => decodePlane(bytes, 3, field);
export const decodeMaskPng = (bytes: Uint8Array, field: string): Promise<MaskPlane> => decodePlane(bytes, 1, field);
