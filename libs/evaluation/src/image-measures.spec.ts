import { featherMask, type MaskPlane, type RgbImage } from '@facex/imaging';
import { changedOutside, highFrequencyEnergy, highFrequencyRatio, seamRatio } from './image-measures';

const SIZE = 160;

/** A seeded skin-like texture: per-pixel noise (± amplitude) around a grey, channels alike, softened by a 2 × 2 mean. */
function texture(seed: number, mean = 128, amplitude = 12): RgbImage {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const noise = Float32Array.from({ length: SIZE * SIZE }, () => (random() - 0.5) * 2 * amplitude);
  const data = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x,
        right = x + 1 < SIZE ? i + 1 : i,
        down = y + 1 < SIZE ? i + SIZE : i;
      const value = mean + (noise[i] + noise[right] + noise[down] + noise[Math.max(right, down)]) / 4;
      data.fill(Math.round(Math.min(255, Math.max(0, value))), 3 * i, 3 * i + 3);
    }
  }
  return { data, width: SIZE, height: SIZE };
}

function disc(radius: number): MaskPlane {
  const data = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if (Math.hypot(x - SIZE / 2, y - SIZE / 2) <= radius) data[y * SIZE + x] = 255;
  return { data, width: SIZE, height: SIZE };
}

/** out = α·over + (1 − α)·base. */
function blend(base: RgbImage, over: RgbImage, alpha: MaskPlane): RgbImage {
  const data = base.data.map((value, p) => Math.round((alpha.data[Math.floor(p / 3)] * over.data[p] + (255 - alpha.data[Math.floor(p / 3)]) * value) / 255));
  return { data, width: base.width, height: base.height };
}

function map(image: RgbImage, f: (value: number) => number): RgbImage {
  return { data: image.data.map((value) => Math.min(255, Math.max(0, Math.round(f(value))))), width: image.width, height: image.height };
}

const frame = texture(1);
const hard = disc(45);
const soft = featherMask(hard, 3);

describe('seam ratio', () => {
  it('is 1 for the untouched frame', () => {
    expect(seamRatio(frame, frame, soft, 4)).toBe(1);
  });

  it('finds a join the generator makes inside the edit area, not only at its edge', () => {
    expect(
      seamRatio(
        blend(
          frame,
          map(texture(2), (v) => v + 30),
          disc(25),
        ),
        frame,
        soft,
        4,
      ),
    ).toBeGreaterThan(3);
  });

  it('stays near 1 for a feathered paste of texture like the frame’s', () => {
    const ratio = seamRatio(blend(frame, texture(2), soft), frame, soft, 4);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  });

  it('is high for a paste whose brightness steps at the boundary', () => {
    expect(
      seamRatio(
        blend(
          frame,
          map(texture(2), (v) => v + 60),
          hard,
        ),
        frame,
        soft,
        4,
      ),
    ).toBeGreaterThan(10);
  });

  it('grows with a colour mismatch even when the join is feathered', () => {
    expect(
      seamRatio(
        blend(
          frame,
          map(texture(2), (v) => v + 60),
          soft,
        ),
        frame,
        soft,
        4,
      ),
    ).toBeGreaterThan(2);
  });
});

describe('high-frequency ratio', () => {
  it('is 1 for the same detail, about 0 for a flat fill and below 1 for a blurred one', () => {
    expect(highFrequencyRatio(frame, frame, hard)).toBe(1);
    expect(
      highFrequencyRatio(
        blend(
          frame,
          map(frame, () => 128),
          hard,
        ),
        frame,
        hard,
      ),
    ).toBeLessThan(0.01);
    const softer = blend(
      frame,
      map(texture(2, 128, 3), (v) => v),
      hard,
    );
    expect(highFrequencyRatio(softer, frame, hard)).toBeLessThan(0.2);
    expect(highFrequencyRatio(blend(frame, texture(3), hard), frame, hard)).toBeGreaterThan(0.8);
  });

  it('is not a number for an empty region', () => {
    expect(highFrequencyEnergy(frame, { data: new Uint8Array(SIZE * SIZE), width: SIZE, height: SIZE })).toBeNaN();
  });
});

describe('changed outside', () => {
  it('counts the pixels outside the area that differ at all', () => {
    const edited = blend(frame, texture(2), hard);
    expect(changedOutside(edited, frame, hard)).toEqual({ pixels: 0, maxDifference: 0 });
    edited.data[0] = frame.data[0] + (frame.data[0] < 250 ? 3 : -3);
    expect(changedOutside(edited, frame, hard)).toEqual({ pixels: 1, maxDifference: 3 });
  });
});
