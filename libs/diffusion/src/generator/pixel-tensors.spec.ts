import { downsampleRgb2x, type RgbImage } from '@facex/imaging';
import { latentFusionMask, rgbToSignedPlanes, signedPlanesToRgb, upsampleRgb2x } from './pixel-tensors';

const image = (width: number, height: number, value: (x: number, y: number, c: number) => number): RgbImage => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = value(x, y, c);
  return { data, width, height };
};

describe('rgbToSignedPlanes / signedPlanesToRgb', () => {
  it('maps 0…255 to planar −1…1 and back to the same bytes', () => {
    const rgb = image(4, 3, (x, y, c) => (x * 37 + y * 91 + c * 53) % 256);
    const planes = new Float32Array(2 + 3 * 12);
    rgbToSignedPlanes(rgb, planes, 2);
    expect([planes[2], planes[2 + 12], planes[2 + 24]]).toEqual([-1, Math.fround(53 / 127.5 - 1), Math.fround(106 / 127.5 - 1)]);
    expect(signedPlanesToRgb(planes.subarray(2), 4, 3)).toEqual(rgb);
  });

  it('clamps the unclamped decoder output to 0…255', () => {
    const out = signedPlanesToRgb(Float32Array.of(-3, 5, 0), 1, 1);
    expect(Array.from(out.data)).toEqual([0, 255, 128]);
  });

  it('refuses a decoder output of the wrong size, naming it', () => {
    expect(() => signedPlanesToRgb(new Float32Array(5), 1, 1)).toThrow(expect.objectContaining({ code: 'model_pack_invalid', details: { field: 'image' } }));
  });
});

describe('latentFusionMask', () => {
  it('averages each block and is 0 only where the whole block is 0', () => {
    const mask = { data: new Uint8Array(16 * 16), width: 16, height: 16 };
    mask.data[0] = 255; // one pixel of the top-left 8×8 block
    for (let y = 8; y < 16; y++) mask.data.fill(255, y * 16 + 8, y * 16 + 16); // the whole bottom-right block
    expect(Array.from(latentFusionMask(mask, 2))).toEqual([1 / 64, 0, 0, 1]);
  });

  it('refuses a mask that does not pool evenly, naming the field', () => {
    expect(() => latentFusionMask({ data: new Uint8Array(100), width: 10, height: 10 }, 3)).toThrow(
      expect.objectContaining({ details: { field: 'fusionMask' } }),
    );
  });
});

describe('upsampleRgb2x', () => {
  it('keeps a flat image flat, edges included', () => {
    const up = upsampleRgb2x(image(3, 2, (_x, _y, c) => 10 + c));
    expect([up.width, up.height]).toEqual([6, 4]);
    expect(up.data.every((v, i) => v === 10 + (i % 3))).toBe(true);
  });

  it('puts samples where downsampleRgb2x took them: a horizontal ramp stays a ramp of half the slope', () => {
    const ramp = image(4, 1, (x) => 64 * x);
    const up = upsampleRgb2x(ramp);
    // Output x samples source x/2 − 1/4: 0, 16, 48, 80, 112, 144, 176, 192 (clamped at both ends).
    expect(Array.from({ length: 8 }, (_, x) => up.data[3 * x])).toEqual([0, 16, 48, 80, 112, 144, 176, 192]);
    expect(Array.from(downsampleRgb2x(up).data.filter((_, i) => i % 3 === 0))).toEqual([8, 64, 128, 184]);
  });
});
