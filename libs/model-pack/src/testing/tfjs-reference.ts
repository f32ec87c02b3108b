/** Runs a TF.js graph model on the tfjs CPU backend: the reference the converted ONNX graph is checked against. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
}

export async function loadReferenceModel(modelJson: unknown, weights: Uint8Array): Promise<GraphModel> {
  await tf.setBackend('cpu');
  const json = modelJson as ModelJson;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData,
  });
  return loadGraphModel(handler);
}

/** Executes the model on one NHWC float input; returns each named output's data and shape. */
export function runReference(
  model: GraphModel,
  input: Float32Array,
  shape: number[],
  outputNames: readonly string[],
): { data: Float32Array; shape: number[] }[] {
  return tf.tidy(() => {
    const outputs = model.execute(tf.tensor(input, shape, 'float32'), [...outputNames]);
    return (Array.isArray(outputs) ? outputs : [outputs]).map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape }));
  });
}
