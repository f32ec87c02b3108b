/** A dense float tensor as it crosses into and out of a model. */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

/** The models FORD runs, by role; a model pack maps each role to one graph. */
export const MODEL_ROLES = ['detector', 'mesh', 'iris', 'embedding', 'segmentation'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/**
 * Runs one model on its single input. Implementations own their sessions (created once) and may block while running, so they
 * live in worker threads, never on the event loop that serves requests or renews job locks.
 */
export interface InferenceEngine {
  run(role: ModelRole, input: TensorData): Promise<Record<string, TensorData>>;
}
