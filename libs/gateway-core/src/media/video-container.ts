/**
 * Tells an uploaded video from an image by its first bytes, before anything decodes it: an ISO BMFF file
 * (MP4, MOV) opens with an `ftyp` box, or, in old QuickTime files, a `moov`/`mdat`/`wide`/`free` box; WebM and
 * Matroska open with the EBML magic. HEIF and AVIF images are ISO BMFF too, told apart by their brand.
 */
import type { VideoProbe } from '@facex/contracts';

const QUICKTIME_FIRST_BOXES = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
/** Major brands of still images (and image sequences) in ISO BMFF: sharp's business, not ffprobe's. */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/** The major brand of an ISO BMFF file (`isom`, `qt  `, `avif`…); null when it does not open with `ftyp`. */
function majorBrand(bytes: Uint8Array): string | null {
  return bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' ? ascii(bytes, 8, 12) : null;
}

/** Whether the bytes open like a video container (the probe then decides whether it is one it accepts). */
export function looksLikeVideo(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  if (EBML_MAGIC.every((byte, i) => bytes[i] === byte)) return true;
  const brand = majorBrand(bytes);
  if (brand !== null) return !IMAGE_BRANDS.has(brand);
  return QUICKTIME_FIRST_BOXES.has(ascii(bytes, 4, 8));
}

/** The asset's content type: WebM, QuickTime (its own brand, or no `ftyp` at all) or MP4. */
export function videoContentType(bytes: Uint8Array, probe: Pick<VideoProbe, 'container'>): 'video/webm' | 'video/quicktime' | 'video/mp4' {
  if (probe.container === 'webm') return 'video/webm';
  const brand = majorBrand(bytes);
  return brand === null || brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
}
