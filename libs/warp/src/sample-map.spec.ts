import type { Affine2D } from '@facex/contracts';
import { warpRgb, type RgbImage } from '@facex/imaging';
import { sampleMaskOnMaskPlane, sampleRgb } from './sample-map';
import type { SourceMap } from './source-map';

/** A map whose source point is the output pixel itself (defined everywhere). */
function identityMap(size: number): SourceMap {
  const coords = new Float32Array(size * size * 2);
  for (let y = 0, o = 0; y < size; y++)
    for (let x = 0; x < size; x++, o++) {
      coords[2 * o] = x;
      coords[2 * o + 1] = y;
    }
  return { width: size, height: size, coords, defined: new Uint8Array(size * size).fill(1) };
}

/** A smooth colour image, so that one and two bilinear resamplings agree closely. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, p = 0; y < height; y++)
    for (let x = 0; x < width; x++, p += 3) {
      data[p] = x * 2;
      data[p + 1] = y * 2;
      data[p + 2] = (x + y) % 256;
    }
  return { data, width, height };
}

describe('sampleRgb', () => {
  it('reads the full image through the crop → image map as it would read the crop cut from it', () => {
    const image = gradient(120, 100);
    const imageToCrop: Affine2D = [0.5, 0, 4, 0, 0.5, 2];
    const crop = warpRgb(image, imageToCrop, 40, 40);
    const fromCrop = sampleRgb(crop, identityMap(40));
    const fromImage = sampleRgb(image, identityMap(40), [2, 0, -8, 0, 2, -4]);
    // Crop pixels whose image point lies inside the image (the crop reads 0 beyond it, sampleRgb the edge).
    let worst = 0;
    for (let v = 3; v < 40; v++) {
      for (let u = 5, p = 3 * (v * 40 + u); u < 40; u++)
        for (let c = 0; c < 3; c++, p++) worst = Math.max(worst, Math.abs(fromCrop.data[p] - fromImage.data[p]));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('leaves pixels the map does not define at 0', () => {
    const map = identityMap(8);
    map.defined[9] = 0;
    const out = sampleRgb(gradient(8, 8), map);
    expect(Array.from(out.data.subarray(27, 30))).toEqual([0, 0, 0]);
    expect(out.data[3 * 10]).toBe(4);
  });
});

describe('sampleMaskOnMaskPlane', () => {
  it('reads mask pixel (u, v) at crop pixel (2u, 2v) of the map, so an identity map returns the mask itself', () => {
    const mask = { data: Uint8Array.from({ length: 16 * 16 }, (_, i) => (i * 7) % 256), width: 16, height: 16 };
    const out = sampleMaskOnMaskPlane(mask, identityMap(32));
    expect(out.width).toBe(16);
    expect(Array.from(out.data.subarray(0, 15 * 16))).toEqual(Array.from(mask.data.subarray(0, 15 * 16)));
  });
});
