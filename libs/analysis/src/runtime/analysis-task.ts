import type { TaskHandler } from '@facex/runtime';
import type { FaceRepresentation } from '@facex/contracts';
import { analyzeImage, type AnalyzeRequest, type PackIdentity } from '../pipeline/analyze-image';
import type { ModelRole } from './inference-engine';
import { OrtEngine } from './ort-engine';

/** Start-up options of one analysis worker thread. */
export interface AnalysisTaskOptions {
  /** ONNX file per model role, from a manifest the main thread has already verified. */
  files: Record<ModelRole, string>;
  pack: PackIdentity;
  threads: number;
}

/** Runs in a pool worker: creates the inference sessions once, then analyses one image per task. */
export async function createTaskHandler(options: AnalysisTaskOptions): Promise<TaskHandler<AnalyzeRequest, FaceRepresentation[]>> {
  const engine = await OrtEngine.create({ files: options.files, threads: options.threads });
  return (request) => analyzeImage(request, engine, options.pack);
}
