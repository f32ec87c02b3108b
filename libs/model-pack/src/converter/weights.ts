/** Decodes the weights buffer described by a TF.js weights manifest into typed constant tensors. */
import { FacexError } from '@facex/contracts';
import type { TfjsGraphModel, TfjsWeightEntry } from './tfjs-graph-model';

export interface ConstTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** IEEE 754 half precision to single precision. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function storedBytesPerElement(entry: TfjsWeightEntry): number {
  switch (entry.quantization?.dtype) {
    case undefined:
      return 4;
    case 'float16':
    case 'uint16':
      return 2;
    case 'uint8':
      return 1;
  }
}

function decodeEntry(entry: TfjsWeightEntry, view: DataView, offset: number): ConstTensor {
  const count = elementCount(entry.shape);
  const quantization = entry.quantization;
  if (!quantization) {
    const data = entry.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      data[i] = entry.dtype === 'float32' ? view.getFloat32(offset + 4 * i, true) : view.getInt32(offset + 4 * i, true);
    }
    return { dtype: entry.dtype, shape: entry.shape, data };
  }
  if (entry.dtype !== 'float32' && quantization.dtype === 'float16') {
    throw new FacexError('model_pack_invalid', `weight '${entry.name}': float16-quantized ${entry.dtype} weights are not supported`, { field: entry.name });
  }
  if (entry.dtype === 'int32') {
    // Integer constants stored as affine uint8/uint16 (face-api's weights): rounded back, as TF.js does.
    const [scale, min, wide] = [quantization.scale ?? 1, quantization.min ?? 0, quantization.dtype === 'uint16'];
    const ints = new Int32Array(count);
    for (let i = 0; i < count; i++) ints[i] = Math.round((wide ? view.getUint16(offset + 2 * i, true) : view.getUint8(offset + i)) * scale + min);
    return { dtype: 'int32', shape: entry.shape, data: ints };
  }
  const data = new Float32Array(count);
  if (quantization.dtype === 'float16') {
    for (let i = 0; i < count; i++) data[i] = float16ToFloat32(view.getUint16(offset + 2 * i, true));
  } else {
    // Affine integer quantization: value = stored * scale + min.
    const scale = quantization.scale ?? 1;
    const min = quantization.min ?? 0;
    const wide = quantization.dtype === 'uint16';
    for (let i = 0; i < count; i++) data[i] = (wide ? view.getUint16(offset + 2 * i, true) : view.getUint8(offset + i)) * scale + min;
  }
  return { dtype: 'float32', shape: entry.shape, data };
}

/**
 * `weights` is the concatenation of every file in `weightsManifest[*].paths`, in manifest order. A graph
 * model or a bare weights manifest (face-api's `*-weights_manifest.json`) both qualify.
 */
export function decodeWeights(model: Pick<TfjsGraphModel, 'weightsManifest'>, weights: Uint8Array): Map<string, ConstTensor> {
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const tensors = new Map<string, ConstTensor>();
  let offset = 0;
  for (const group of model.weightsManifest) {
    for (const entry of group.weights) {
      const size = elementCount(entry.shape) * storedBytesPerElement(entry);
      if (offset + size > weights.byteLength) {
        throw new FacexError('model_pack_invalid', `weights buffer too short for '${entry.name}' (needs ${offset + size} bytes, has ${weights.byteLength})`, {
          field: entry.name,
        });
      }
      tensors.set(entry.name, decodeEntry(entry, view, offset));
      offset += size;
    }
  }
  if (offset !== weights.byteLength) {
    throw new FacexError('model_pack_invalid', `weights buffer has ${weights.byteLength} bytes, the manifest describes ${offset}`, {
      field: 'weightsManifest',
    });
  }
  return tensors;
}
