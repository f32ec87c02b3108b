import { FacexError } from '@facex/contracts';
import { labStatistics, labToRgb, rgbToLab, transferLabStatistics } from './lab';
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
