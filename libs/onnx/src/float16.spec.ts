import { bfloat16BitsToFloat32, float16BitsToFloat32, float32ToFloat16Bits } from './float16';

describe('float16 conversion', () => {
  it('encodes exactly representable values exactly', () => {
    for (const value of [0, 1, -2, 0.5, 65504, 2 ** -14, 2 ** -24, -3.75]) {
      expect(float16BitsToFloat32(float32ToFloat16Bits(value))).toBe(value);
    }
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
  });

  it('rounds to nearest even, overflows to infinity and keeps NaN', () => {
    // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties go to the even mantissa (1).
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16BitsToFloat32(float32ToFloat16Bits(70000))).toBe(Infinity);
    expect(float16BitsToFloat32(float32ToFloat16Bits(NaN))).toBeNaN();
    expect(float16BitsToFloat32(float32ToFloat16Bits(2 ** -26))).toBe(0);
  });

  it('stays within half a unit in the last place over a sweep', () => {
    for (let step = -1000; step < 1000; step += 0.37) {
      const x = Math.fround(step);
      const back = float16BitsToFloat32(float32ToFloat16Bits(x));
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(x) || 1)) - 10);
      expect(Math.abs(back - x)).toBeLessThanOrEqual(ulp / 2);
    }
  });

  it('reads bfloat16 as the top half of a float32', () => {
    expect(bfloat16BitsToFloat32(0x3f80)).toBe(1);
    expect(bfloat16BitsToFloat32(0xc040)).toBe(-3);
  });
});
