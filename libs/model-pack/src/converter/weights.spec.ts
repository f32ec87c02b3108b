import { isFacexError } from '@facex/contracts';
import { decodeWeights, float16ToFloat32 } from './weights';
import { parseGraphModelJson } from './tfjs-graph-model';

describe('float16ToFloat32', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x8000, -0],
    [0x7c00, Infinity],
  ])('decodes half-precision bits %s as %s', (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
  });

  it('decodes NaN', () => {
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });
});

describe('decodeWeights', () => {
  const model = parseGraphModelJson({
    format: 'graph-model',
    modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] },
    weightsManifest: [
      {
        paths: ['a.bin'],
        weights: [
          { name: 'half', shape: [2], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
          { name: 'ints', shape: [1, 2], dtype: 'int32' },
          { name: 'bytes', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
          { name: 'count', shape: [], dtype: 'int32', quantization: { dtype: 'uint8', scale: 1, min: 5118 } },
        ],
      },
    ],
  });
  const buffer = new Uint8Array(2 * 2 + 2 * 4 + 2 + 1);
  const view = new DataView(buffer.buffer);
  view.setUint16(0, 0x3c00, true);
  view.setUint16(2, 0xc000, true);
  view.setInt32(4, -7, true);
  view.setInt32(8, 42, true);
  buffer[12] = 0;
  buffer[13] = 6;

  it('walks the manifest in order, dequantizing float16 and affine uint8 weights', () => {
    const weights = decodeWeights(model, buffer);
    expect(Array.from(weights.get('half')?.data ?? [])).toEqual([1, -2]);
    expect(weights.get('ints')).toEqual({ dtype: 'int32', shape: [1, 2], data: Int32Array.of(-7, 42) });
    expect(Array.from(weights.get('bytes')?.data ?? [])).toEqual([-1, 2]);
  });

  it('dequantizes affine uint8 integers back to int32, as face-api stores its scalar constants', () => {
    expect(decodeWeights(model, buffer).get('count')).toEqual({ dtype: 'int32', shape: [], data: Int32Array.of(5118) });
  });

  it('refuses a buffer shorter or longer than the manifest describes', () => {
    for (const wrong of [buffer.subarray(0, 10), new Uint8Array(buffer.length + 1)]) {
      let error: unknown;
      try {
        decodeWeights(model, wrong);
      } catch (e) {
        error = e;
      }
      expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
    }
  });
});
