/**
 * Messages between the DiffusionGenerator (calling thread) and its worker thread. Several jobs are in flight
 * at once, each with its own progress; errors travel as plain data (@facex/runtime's SerializedError) and come back as the same FacexError.
 */
import type { SerializedError } from '@facex/runtime';
import type { RgbImage } from '@facex/imaging';
import type { BatcherStats } from './counting-predictor';
import type { DiffusionJob } from './diffusion-job';

/** `render`: jobs posted together (a video chunk's frames), each answered under its own id. */
export type ToWorker = { kind: 'render'; jobs: Array<{ id: number; job: DiffusionJob }> } | { kind: 'cancel'; id: number } | { kind: 'stats'; id: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'failed-to-start'; error: SerializedError }
  | { kind: 'step'; id: number; step: number; steps: number }
  | { kind: 'rendered'; id: number; image: RgbImage }
  | { kind: 'failed'; id: number; error: SerializedError }
  | { kind: 'stats'; id: number; stats: BatcherStats };
