import { peakSignalToNoiseRatio, rootMeanSquareError, structuralSimilarity } from './image-quality';
import { createRgbImage, type RgbImage } from './types';

function pattern(width: number, height: number, offset = 0): RgbImage {
  const image = createRgbImage(width, height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = ((x * 13 + y * 7) % 200) + offset;
      image.data.set([v, v, v], (y * width + x) * 3);
    }
  return image;
}

describe('image quality', () => {
  it('scores identical images as perfect', () => {
    const a = pattern(20, 16);
    expect(rootMeanSquareError(a, a)).toBe(0);
    expect(peakSignalToNoiseRatio(a, a)).toBe(Infinity);
    expect(structuralSimilarity(a, a)).toBeCloseTo(1, 10);
  });

  it('measures a uniform offset exactly in RMSE and PSNR', () => {
    const a = pattern(20, 16),
      b = pattern(20, 16, 10);
    expect(rootMeanSquareError(a, b)).toBeCloseTo(10, 10);
    expect(peakSignalToNoiseRatio(a, b)).toBeCloseTo(20 * Math.log10(25.5), 10);
  });

  it('drops SSIM for a structurally different image more than for a brightness shift', () => {
    const a = pattern(24, 24),
      shifted = pattern(24, 24, 20);
    const scrambled = createRgbImage(24, 24);
    for (let i = 0; i < scrambled.data.length; i += 3) scrambled.data.fill(a.data[(i * 37) % a.data.length], i, i + 3);
    expect(structuralSimilarity(a, shifted)).toBeGreaterThan(structuralSimilarity(a, scrambled));
    expect(structuralSimilarity(a, scrambled)).toBeLessThan(0.5);
  });

  it('refuses images of different sizes', () => {
    expect(() => rootMeanSquareError(pattern(8, 8), pattern(9, 8))).toThrow(/differ in size/);
  });
});
