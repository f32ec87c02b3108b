/** Test helper: run an ONNX model in onnxruntime-node on float32 inputs and return float32 outputs. */
import * as ort from 'onnxruntime-node';

export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

export async function runOnnx(model: Uint8Array | string, inputs: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
  const session = await ort.InferenceSession.create(model as string);
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
    const results = await session.run(feeds);
    return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { data: t.data as Float32Array, dims: t.dims }]));
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** Deterministic test input in [-1, 1). */
export function patternTensor(dims: readonly number[], phase = 0): FloatTensor {
  const size = dims.reduce((p, d) => p * d, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => Math.sin(0.37 * i + phase)), dims };
}
