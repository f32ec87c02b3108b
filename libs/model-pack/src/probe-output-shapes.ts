/**
 * Output shapes of a converted model, found by running it once on zeros (batch 1, and batch 2 when the batch
 * is dynamic: sizes that follow the batch are reported as -1).
 */
import * as ort from 'onnxruntime-node';

export interface ProbedInput {
  name: string;
  dims: number[];
}

async function outputDims(session: ort.InferenceSession, inputs: readonly ProbedInput[], batch: number): Promise<Map<string, number[]>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const dims = input.dims.map((size) => (size < 0 ? batch : size));
    feeds[input.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  const results = await session.run(feeds);
  return new Map(session.outputNames.map((name) => [name, [...(results[name]?.dims ?? [])]]));
}

export async function probeOutputShapes(onnxBytes: Uint8Array, inputs: readonly ProbedInput[]): Promise<{ name: string; dims: number[] }[]> {
  const session = await ort.InferenceSession.create(onnxBytes, { executionProviders: ['cpu'] });
  try {
    const single = await outputDims(session, inputs, 1);
    const dynamic = inputs.some((input) => input.dims.some((size) => size < 0));
    const double = dynamic ? await outputDims(session, inputs, 2) : single;
    return session.outputNames.map((name) => {
      const one = single.get(name) ?? [];
      const two = double.get(name) ?? [];
      return { name, dims: one.map((size, axis) => (two[axis] === size ? size : -1)) };
    });
  } finally {
    await session.release();
  }
}
