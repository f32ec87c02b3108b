import * as ort from 'onnxruntime-node';
import type { InferenceEngine, ModelRole, TensorData } from './inference-engine';

export interface OrtEngineOptions {
  /** ONNX file per model role. */
  files: Record<ModelRole, string>;
  /** Threads per session. One per pool worker keeps two workers from fighting over two cores. */
  threads: number;
}

/** Runs FORD's models on onnxruntime-node's CPU provider; one session per model, created once. */
export class OrtEngine implements InferenceEngine {
  private constructor(private readonly sessions: Record<ModelRole, ort.InferenceSession>) {}

  static async create({ files, threads }: OrtEngineOptions): Promise<OrtEngine> {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    };
    const entries = await Promise.all(
      (Object.entries(files) as [ModelRole, string][]).map(async ([role, file]) => [role, await ort.InferenceSession.create(file, options)] as const),
    );
    return new OrtEngine(Object.fromEntries(entries) as Record<ModelRole, ort.InferenceSession>);
  }

  async run(role: ModelRole, input: TensorData): Promise<Record<string, TensorData>> {
    const session = this.sessions[role];
    const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims) });
    const outputs: Record<string, TensorData> = {};
    for (const name of session.outputNames) {
      outputs[name] = { data: results[name].data as Float32Array, dims: results[name].dims };
    }
    return outputs;
  }
}
