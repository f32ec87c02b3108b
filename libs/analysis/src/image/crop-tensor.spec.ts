import { createRgbImage } from '@facex/imaging';
import { boxDownscale, cropToTensor, SIGNED_UNIT_RANGE, UNIT_RANGE } from './crop-tensor';

function gradientImage(width: number, height: number) {
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set([x * 10, y * 10, 7], (y * width + x) * 3);
  }
  return image;
}

describe('cropToTensor', () => {
  it('copies pixels through the identity map into the requested value range', () => {
    const image = gradientImage(4, 3);
    const tensor = cropToTensor(image, { matrix: [1, 0, 0, 0, 1, 0], width: 4, height: 3, range: SIGNED_UNIT_RANGE });
    expect(tensor[(2 * 4 + 3) * 3]).toBeCloseTo((30 * 2) / 255 - 1, 6);
    expect(tensor[(2 * 4 + 3) * 3 + 1]).toBeCloseTo((20 * 2) / 255 - 1, 6);
  });

  it('interpolates bilinearly between pixels and paints outside the image black', () => {
    const image = gradientImage(4, 4);
    const half = cropToTensor(image, { matrix: [1, 0, -0.5, 0, 1, 0], width: 2, height: 1, range: UNIT_RANGE });
    expect(half[3] * 255).toBeCloseTo(15, 4);
    const outside = cropToTensor(image, { matrix: [1, 0, 10, 0, 1, 10], width: 1, height: 1, range: SIGNED_UNIT_RANGE });
    expect(Array.from(outside)).toEqual([-1, -1, -1]);
  });

  it('mirrors the crop horizontally on request', () => {
    const image = gradientImage(4, 1);
    const mirrored = cropToTensor(image, { matrix: [1, 0, 0, 0, 1, 0], width: 4, height: 1, range: UNIT_RANGE, mirror: true });
    expect(Array.from({ length: 4 }, (_, i) => Math.round(mirrored[i * 3] * 255))).toEqual([30, 20, 10, 0]);
  });

  it('averages blocks before shrinking by more than 2× so that fine detail does not alias', () => {
    const stripes = createRgbImage(64, 64);
    for (let i = 0; i < 64 * 64; i++) stripes.data.fill((i % 64) % 2 ? 255 : 0, i * 3, i * 3 + 3);
    const small = cropToTensor(stripes, { matrix: [1 / 8, 0, -3.5 / 8, 0, 1 / 8, -3.5 / 8], width: 8, height: 8, range: UNIT_RANGE });
    for (const v of small) expect(v).toBeCloseTo(0.5, 1);
  });
});

describe('boxDownscale', () => {
  it('averages each block, partial edge blocks included', () => {
    const image = gradientImage(5, 2);
    const small = boxDownscale(image, 2);
    expect([small.width, small.height]).toEqual([3, 1]);
    expect(Array.from(small.data.subarray(0, 3))).toEqual([5, 5, 7]);
    expect(Array.from(small.data.subarray(6, 9))).toEqual([40, 5, 7]);
  });
});
