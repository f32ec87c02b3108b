/**
 * NHWC (TF.js) <-> NCHW (ONNX convolution) layout helpers for shapes, axes and constant data.
 */
import { elementCount } from './weights';

export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

/** Where NHWC axis `axis` (0..3) lives in an NCHW tensor. */
export function nchwAxisOf(nhwcAxis: number): number {
  return NHWC_TO_NCHW.indexOf(nhwcAxis as 0 | 1 | 2 | 3);
}

export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Row-major transpose of constant data: output axis i is input axis perm[i]. */
export function transposeData<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): { data: T; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((axis) => shape[axis] as number);
  const inStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    inStrides[axis] = stride;
    stride *= shape[axis] as number;
  }
  const strideOfOutAxis = perm.map((axis) => inStrides[axis] as number);
  const out = new (data.constructor as new (n: number) => T)(elementCount(shape));
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[source] as number;
    // Odometer over output indices, keeping the matching input offset incrementally.
    for (let axis = rank - 1; axis >= 0; axis--) {
      source += strideOfOutAxis[axis] as number;
      if (++(index[axis] as number) < (outShape[axis] as number)) break;
      source -= (strideOfOutAxis[axis] as number) * (outShape[axis] as number);
      index[axis] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/**
 * A constant that broadcasts against an NHWC tensor, rewritten to broadcast the same way against the NCHW
 * tensor: right-aligned to rank 4, then transposed. Scalars stay scalars.
 */
export function constantForNchw(data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] } {
  if (shape.length === 0) return { data, shape: [] };
  const padded = [...new Array<number>(4 - shape.length).fill(1), ...shape];
  return transposeData(data, padded, NHWC_TO_NCHW);
}
