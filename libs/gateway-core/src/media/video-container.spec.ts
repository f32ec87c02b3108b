import { looksLikeVideo, videoContentType } from './video-container';

/** An ISO BMFF file's first box: size, type, then (for `ftyp`) the major brand. */
function box(type: string, brand = ''): Uint8Array {
  return new Uint8Array([0, 0, 0, 24, ...Buffer.from(type + brand.padEnd(4, ' ')), ...new Array<number>(12).fill(0)]);
}

describe('looksLikeVideo', () => {
  it('recognises MP4, MOV (with and without ftyp) and WebM/Matroska', () => {
    expect(looksLikeVideo(box('ftyp', 'isom'))).toBe(true);
    expect(looksLikeVideo(box('ftyp', 'qt'))).toBe(true);
    expect(looksLikeVideo(box('moov'))).toBe(true);
    expect(looksLikeVideo(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81]))).toBe(true);
  });

  it('leaves images to the image decoder: JPEG, PNG, and HEIF/AVIF though they are ISO BMFF', () => {
    expect(looksLikeVideo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]))).toBe(false);
    expect(looksLikeVideo(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe(false);
    expect(looksLikeVideo(box('ftyp', 'avif'))).toBe(false);
    expect(looksLikeVideo(box('ftyp', 'heic'))).toBe(false);
    expect(looksLikeVideo(new Uint8Array(4))).toBe(false);
  });
});

describe('videoContentType', () => {
  it('names WebM, QuickTime by its brand or its missing ftyp, and MP4 otherwise', () => {
    expect(videoContentType(box('ftyp', 'isom'), { container: 'webm' })).toBe('video/webm');
    expect(videoContentType(box('ftyp', 'qt'), { container: 'mp4' })).toBe('video/quicktime');
    expect(videoContentType(box('moov'), { container: 'mp4' })).toBe('video/quicktime');
    expect(videoContentType(box('ftyp', 'isom'), { container: 'mp4' })).toBe('video/mp4');
  });
});
