import { Affine2D } from '@facex/contracts';
import { personMaskOnCrop } from './person-mask-crop';

const IDENTITY: Affine2D = [1, 0, 0, 0, 1, 0];

describe('personMaskOnCrop', () => {
  it('reads a mask computed on a crop of the image through its imageToMask matrix', () => {
    const data = new Float32Array(100);
    data[3 * 10 + 2] = 1;
    const crop = personMaskOnCrop({ data, width: 10, height: 10, imageToMask: [1, 0, -50, 0, 1, -60] }, 640, 480, IDENTITY, 100);
    expect(crop[63 * 100 + 52]).toBeCloseTo(1, 6);
    expect(crop[63 * 100 + 53]).toBe(0);
    // Between two mask pixels the value is interpolated.
    const shifted = personMaskOnCrop({ data, width: 10, height: 10, imageToMask: [1, 0, -50.5, 0, 1, -60] }, 640, 480, IDENTITY, 100);
    expect(shifted[63 * 100 + 53]).toBeCloseTo(0.5, 6);
  });

  it('stretches a mask without a matrix over the whole image (pixel centres aligned)', () => {
    const data = Float32Array.from([0, 1, 1, 0]);
    const crop = personMaskOnCrop({ data, width: 2, height: 2 }, 4, 4, IDENTITY, 4);
    // Image pixel (3, 0) maps to mask (1.25, −0.25): inside the mask's area, clamped onto its last column (1).
    expect(crop[3]).toBeCloseTo(1, 6);
    expect(crop[0]).toBeCloseTo(0, 6);
    expect(crop[1]).toBeCloseTo(0.25, 6);
  });

  it('reads 0 off the mask and rejects a buffer that does not match the size', () => {
    const crop = personMaskOnCrop({ data: new Float32Array(4).fill(1), width: 2, height: 2 }, 2, 2, [1, 0, 10, 0, 1, 10], 4);
    expect(crop[0]).toBe(0);
    expect(() => personMaskOnCrop({ data: new Float32Array(3), width: 2, height: 2 }, 2, 2, IDENTITY, 4)).toThrow(
      expect.objectContaining({ details: { field: 'personMask' } }),
    );
  });
});
