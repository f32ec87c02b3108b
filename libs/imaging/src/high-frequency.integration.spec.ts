import { FacexError } from '@facex/contracts';
import { highFrequencyEnergy, scaleFinestBand } from './high-frequency';
import { createMask, type RgbImage } from './types';

function image(size: number, value: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill(value(x, y), 3 * (y * size + x), 3 * (y * size + x) + 3);
  return { data, width: size, height: size };
}

/** Deterministic noise in 0…255. */
const noise = (x: number, y: number) => ((((Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1) + 1) % 1) * 255;

describe('highFrequencyEnergy', () => {
  const full = createMask(64, 64, 255);

  it('is zero on a flat area and on a smooth gradient', () => {
    expect(
      highFrequencyEnergy(
        image(64, () => 128),
        full,
      ),
    ).toBe(0);
    expect(
      highFrequencyEnergy(
        image(64, (x) => 2 * x),
        full,
      ),
    ).toBeLessThan(0.5);
  });

  it('is large on fine noise and shrinks when the noise is blurred', () => {
    const sharp = image(64, noise);
    const blurred = image(64, (x, y) => (noise(x, y) + noise(x + 1, y) + noise(x, y + 1) + noise(x + 1, y + 1)) / 4);
    const eSharp = highFrequencyEnergy(sharp, full),
      eBlurred = highFrequencyEnergy(blurred, full);
    expect(eSharp).toBeGreaterThan(1000);
    expect(eBlurred).toBeLessThan(eSharp / 2);
  });

  it('counts only the mask interior: a step along the mask edge is not detail', () => {
    // Flat inside a 20 px square, noise outside: the square's interior has no detail.
    const picture = image(64, (x, y) => (x >= 20 && x < 40 && y >= 20 && y < 40 ? 100 : noise(x, y)));
    const square = createMask(64, 64);
    for (let y = 20; y < 40; y++) square.data.fill(255, y * 64 + 20, y * 64 + 40);
    expect(highFrequencyEnergy(picture, square)).toBe(0);
  });

  it('refuses a mask of another size or without interior', () => {
    expect(() => highFrequencyEnergy(image(64, noise), createMask(32, 32, 255))).toThrow(FacexError);
    expect(() => highFrequencyEnergy(image(64, noise), createMask(64, 64))).toThrow(/no interior/);
  });
});

describe('scaleFinestBand', () => {
  it('softens or sharpens detail where asked and leaves the rest alone', () => {
    const picture = image(64, noise);
    const left = createMask(64, 64);
    for (let y = 0; y < 64; y++) left.data.fill(255, y * 64, y * 64 + 32);
    const right = createMask(64, 64);
    for (let y = 0; y < 64; y++) right.data.fill(255, y * 64 + 32, y * 64 + 64);
    const softened = scaleFinestBand(picture, 0.5, left);
    expect(highFrequencyEnergy(softened, left)).toBeLessThan(highFrequencyEnergy(picture, left) * 0.4);
    expect(highFrequencyEnergy(softened, right)).toBeCloseTo(highFrequencyEnergy(picture, right), 6);
    const sharpened = scaleFinestBand(
      image(64, (x, y) => 100 + noise(x, y) / 8),
      1.5,
      left,
    );
    expect(highFrequencyEnergy(sharpened, left)).toBeGreaterThan(
      highFrequencyEnergy(
        image(64, (x, y) => 100 + noise(x, y) / 8),
        left,
      ) * 1.8,
    );
    expect(scaleFinestBand(picture, 1, left).data).toEqual(picture.data);
  });
});
