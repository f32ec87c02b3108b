/**
 * Messages between the DiffusionGenerator (calling thread) and its worker thread. Several jobs are in flight
 * at once, each with its own progress; errors travel as plain data and come back as the same FacexError.
 */
import { FacexError, isFacexError, type ErrorCode } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import type { BatcherStats } from './counting-predictor';
import type { DiffusionJob } from './diffusion-job';

export type ToWorker =
  | { kind: 'render'; id: number; job: DiffusionJob }
  | { kind: 'cancel'; id: number }
  | { kind: 'stats'; id: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'failed-to-start'; error: SerializedError }
  | { kind: 'step'; id: number; step: number; steps: number }
  | { kind: 'rendered'; id: number; image: RgbImage }
  | { kind: 'failed'; id: number; error: SerializedError }
  | { kind: 'stats'; id: number; stats: BatcherStats };

export interface SerializedError {
  message: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (isFacexError(error)) return { message: error.message, code: error.code, details: error.details };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** A typed error comes back typed; anything else as a plain Error with its message. */
export function deserializeError(error: SerializedError): Error {
  return error.code ? new FacexError(error.code, error.message, error.details) : new Error(error.message);
}
