import { FacexError } from '@facex/contracts';
import { labStatistics, labToRgb, lowFrequencyLabStatistics, rgbToLab, transferLabStatistics, transferLowFrequencyLab } from './lab';
import { createMask, type RgbImage } from './types';

const image = (pixels: number[][]): RgbImage => ({ data: Uint8Array.from(pixels.flat()), width: pixels.length, height: 1 });

describe('CIELAB conversion', () => {
  it('maps white, black and sRGB red to their reference Lab values', () => {
    const lab = rgbToLab(image([[255, 255, 255], [0, 0, 0], [255, 0, 0]]));
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

describe('Lab colour transfer', () => {
  const dark = image([[40, 30, 20], [60, 45, 30], [50, 40, 25], [70, 50, 35]]);
  const bright = image([[200, 170, 150], [220, 190, 170], [210, 180, 160], [230, 200, 180]]);
  const all = createMask(4, 1, 255);

  it('moves the masked pixels to the reference mean lightness', () => {
    const moved = transferLabStatistics(dark, labStatistics(dark, all), labStatistics(bright, all), all);
    expect(labStatistics(moved, all).mean[0]).toBeCloseTo(labStatistics(bright, all).mean[0], 0);
  });

  it('leaves pixels with zero weight untouched', () => {
    const weight = createMask(4, 1, 0);
    weight.data[1] = 255;
    const moved = transferLabStatistics(dark, labStatistics(dark, all), labStatistics(bright, all), weight);
    expect(Array.from(moved.data.subarray(0, 3))).toEqual(Array.from(dark.data.subarray(0, 3)));
    expect(moved.data[3]).toBeGreaterThan(dark.data[3] + 50);
  });

  it('refuses statistics over an empty mask, naming the field', () => {
    expect(() => labStatistics(dark, createMask(4, 1, 0), 'masks.skin')).toThrow(FacexError);
    expect(() => labStatistics(dark, createMask(4, 1, 0), 'masks.skin')).toThrow(/masks\.skin/);
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
    expect(labStatistics(stripes(120, 30), all).std[0]).toBeGreaterThan(10);
  });

  it('moves the mean lightness to the reference while keeping the fine detail’s contrast', () => {
    const source = stripes(80, 30), reference = stripes(170, 5);
    const moved = transferLowFrequencyLab(source, lowFrequencyLabStatistics(source, all, 3), lowFrequencyLabStatistics(reference, all, 3), all, 3);
    expect(lowFrequencyLabStatistics(moved, all, 3).mean[0]).toBeCloseTo(lowFrequencyLabStatistics(reference, all, 3).mean[0], 0);
    // The stripes stay as strong as they were (a full-band transfer would shrink them to the reference's).
    const stripeStep = (image: RgbImage) => Math.abs(lightness(image, 32 * 64 + 30) - lightness(image, 32 * 64 + 32));
    expect(stripeStep(moved)).toBeGreaterThan(0.8 * stripeStep(source));
  });

  it('leaves pixels with zero weight untouched', () => {
    const source = stripes(80, 30), weight = createMask(64, 64, 0);
    weight.data.fill(255, 0, 64 * 32);
    const stats = lowFrequencyLabStatistics(source, all, 3), brighter = { mean: [stats.mean[0] + 30, stats.mean[1], stats.mean[2]] as [number, number, number], std: stats.std };
    const moved = transferLowFrequencyLab(source, stats, brighter, weight, 3);
    expect(Array.from(moved.data.subarray(3 * 64 * 32))).toEqual(Array.from(source.data.subarray(3 * 64 * 32)));
    expect(lightness(moved, 0)).toBeGreaterThan(lightness(source, 0) + 20);
  });
});

