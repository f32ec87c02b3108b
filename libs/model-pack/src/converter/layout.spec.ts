import { constantForNchw, nchwAxisOf, transposeData } from './layout';

describe('layout helpers', () => {
  it('transposes constant data: [2, 3] -> [3, 2]', () => {
    const { data, shape } = transposeData(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]);
    expect(shape).toEqual([3, 2]);
    expect(Array.from(data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('maps an NHWC tensor to NCHW element for element', () => {
    // NHWC [1, 1, 2, 2]: pixel 0 has channels (1, 2), pixel 1 has (3, 4).
    const { data, shape } = transposeData(Float32Array.of(1, 2, 3, 4), [1, 1, 2, 2], [0, 3, 1, 2]);
    expect(shape).toEqual([1, 2, 1, 2]);
    expect(Array.from(data)).toEqual([1, 3, 2, 4]);
  });

  it('finds NHWC axes in NCHW order', () => {
    expect([0, 1, 2, 3].map(nchwAxisOf)).toEqual([0, 2, 3, 1]);
  });

  it('turns a per-channel constant into one that broadcasts over NCHW, leaving scalars alone', () => {
    expect(constantForNchw(Float32Array.of(1, 2, 3), [3]).shape).toEqual([1, 3, 1, 1]);
    expect(constantForNchw(Float32Array.of(1, 2), [1, 1, 2]).shape).toEqual([1, 2, 1, 1]);
    expect(constantForNchw(Float32Array.of(5), []).shape).toEqual([]);
  });
});
