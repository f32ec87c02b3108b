/**
 * What the pipeline needs from the outside, as small interfaces: the webhooks and metrics libraries (written
 * separately) plug in here, and tests count calls through them.
 */
import type { EditEventType, EditRecord, EditStage, FaceRepresentation } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';

/** Receives each terminal transition exactly once (the transition is atomic in the edit repository). */
export interface EditEvents {
  emit(edit: EditRecord, type: EditEventType): Promise<void>;
}

export interface PipelineMetrics {
  representationCache(hit: boolean): void;
  stageFinished(stage: EditStage, outcome: 'ok' | 'error', seconds: number): void;
  /** How long a stage's job waited for a worker in its queue. */
  queueWaited(stage: EditStage, seconds: number): void;
  /** Generator steps done (sampler steps, or the steps a weight-free generator reports). */
  generatorSteps(steps: number): void;
  editFinished(status: 'completed' | 'failed' | 'canceled'): void;
}

/** FORD as the extract stage uses it (FaceAnalyzer fits; tests wrap it to count calls). */
export interface FaceAnalyzerPort {
  /** Part of the cache key: a new pack version means new representations. */
  readonly packVersion: string;
  /** One face's representation and its 512 px aligned crop (the crop the assemble stage works from). */
  analyzeWithCrop(bytes: Uint8Array, faceIndex: number): Promise<{ representation: FaceRepresentation; alignedCrop: RgbImage }>;
  /** Every face, largest first, each with its crop (the `faces` job: the face list of a photo). */
  analyzeAllWithCrops(bytes: Uint8Array): Promise<Array<{ representation: FaceRepresentation; alignedCrop: RgbImage }>>;
}

export const NO_METRICS: PipelineMetrics = {
  representationCache: () => undefined,
  stageFinished: () => undefined,
  queueWaited: () => undefined,
  generatorSteps: () => undefined,
  editFinished: () => undefined,
};
