import { FacexError } from '@facex/contracts';
import { labToRgb, lowFrequencyLabStatistics, rgbToLab, transferLowFrequencyLab } from './lab';
import { createMask, type RgbImage } from './types';

const image = (pixels: number[][]): RgbImage => ({ data: Uint8Array.from(pixels.flat()), width: pixels.length, height: 1 });

describe('CIELAB conversion', () => {
  it('maps white, black and sRGB red to their reference Lab values', () => {
    const lab = rgbToLab(
      image([
        [255, 255, 255],
        [0, 0, 0],
        [255, 0, 0],
      ]),
    );
    expect(lab[0]).toBeCloseTo(100, 1);
    expect(Math.abs(lab[1]) + Math.abs(lab[2])).toBeLessThan(0.05);
    expect(lab[3]).toBeCloseTo(0, 3);
    // sRGB red: L* 53.24, a* 80.09, b* 67.20 (D65).
    expect([lab[6], lab[7], lab[8]].map((v) => Math.round(v))).toEqual([53, 80, 67]);
  });

  it('round-trips every grey level and a colour ramp exactly', () => {
    const pixels = Array.from({ length: 256 }, (_, v) => [v, (v * 7) % 256, 255 - v]);
    const source = image(pixels);
    expect(Array.from(labToRgb(rgbToLab(source), 256, 1).data)).toEqual(Array.from(source.data));
  });
});

describe('low-frequency Lab colour transfer', () => {
  /** 64 × 64 stripes two pixels wide between two greys (detail) on a base level `grey`. */
  function stripes(grey: number, contrast: number): RgbImage {
    const out = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
    for (let i = 0; i < 64 * 64; i++) out.data.fill(grey + (((i % 64) >> 1) % 2 ? contrast : -contrast), 3 * i, 3 * i + 3);
    return out;
  }
  const all = createMask(64, 64, 255);
  const lightness = (image: RgbImage, i: number) => rgbToLab(image).subarray(3 * i, 3 * i + 3)[0];

  it('measures the low band: fine stripes do not count as contrast', () => {
    const stats = lowFrequencyLabStatistics(stripes(120, 30), all, 3);
    expect(stats.std[0]).toBeLessThan(1);
    // With no octave removed the statistics are the full band's, where the stripes are contrast.
    expect(lowFrequencyLabStatistics(stripes(120, 30), all, 0).std[0]).toBeGreaterThan(10);
  });

  it('refuses statistics over an empty mask, naming the field', () => {
    expect(() => lowFrequencyLabStatistics(stripes(120, 30), createMask(64, 64, 0), 3, 'masks.skin')).toThrow(FacexError);
    expect(() => lowFrequencyLabStatistics(stripes(120, 30), createMask(64, 64, 0), 3, 'masks.skin')).toThrow(/masks\.skin/);
  });

  it('moves the mean lightness to the reference while keeping the fine detail’s contrast', () => {
    const source = stripes(80, 30),
      reference = stripes(170, 5);
    const moved = transferLowFrequencyLab(source, lowFrequencyLabStatistics(source, all, 3), lowFrequencyLabStatistics(reference, all, 3), all, 3);
    expect(lowFrequencyLabStatistics(moved, all, 3).mean[0]).toBeCloseTo(lowFrequencyLabStatistics(reference, all, 3).mean[0], 0);
    // The stripes stay as strong as they were (a full-band transfer would shrink them to the reference's).
    const stripeStep = (image: RgbImage) => Math.abs(lightness(image, 32 * 64 + 30) - lightness(image, 32 * 64 + 32));
    expect(stripeStep(moved)).toBeGreaterThan(0.8 * stripeStep(source));
  });

  it('leaves pixels with zero weight untouched', () => {
    const source = stripes(80, 30),
      weight = createMask(64, 64, 0);
    weight.data.fill(255, 0, 64 * 32);
    const stats = lowFrequencyLabStatistics(source, all, 3),
      brighter = { mean: [stats.mean[0] + 30, stats.mean[1], stats.mean[2]] as [number, number, number], std: stats.std };
    const moved = transferLowFrequencyLab(source, stats, brighter, weight, 3);
    expect(Array.from(moved.data.subarray(3 * 64 * 32))).toEqual(Array.from(source.data.subarray(3 * 64 * 32)));
    expect(lightness(moved, 0)).toBeGreaterThan(lightness(source, 0) + 20);
  });
});
