import type { TaskHandler } from '@facex/runtime';
import type { FaceRepresentation } from '@facex/contracts';
import { warpRgb, type RgbImage } from '@facex/imaging';
import { ALIGNED_CROP_SIZE } from '../geometry/alignment';
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

export interface AnalyzedFace {
  representation: FaceRepresentation;
  /** The 512 px aligned crop, when the request asked for it. */
  alignedCrop?: RgbImage;
}

/** Runs in a pool worker: creates the inference sessions once, then analyses one image per task. */
export async function createTaskHandler(options: AnalysisTaskOptions): Promise<TaskHandler<AnalyzeRequest, AnalyzedFace[]>> {
  const engine = await OrtEngine.create({ files: options.files, threads: options.threads });
  return async (request) => {
    const representations = await analyzeImage(request, engine, options.pack);
    return representations.map((representation) => ({
      representation,
      ...(request.withAlignedCrops ? { alignedCrop: warpRgb(request.image, representation.alignment.matrix, ALIGNED_CROP_SIZE, ALIGNED_CROP_SIZE) } : {}),
    }));
  };
}
