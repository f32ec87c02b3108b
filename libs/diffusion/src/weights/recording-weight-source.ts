/**
 * Wraps a source and keeps every tensor it hands out, in request order: used to export the FaceX-specific
 * initial weights (FRC, FORS, FPN) as a safetensors file with exactly the keys and shapes a graph reads.
 */
import type { SafetensorsTensor } from './safetensors';
import type { ParamInit, WeightSource } from './weight-source';

export class RecordingWeightSource implements WeightSource {
  readonly tensors: SafetensorsTensor[] = [];

  constructor(private readonly inner: WeightSource) {}

  get random(): boolean {
    return this.inner.random;
  }

  get description(): string {
    return this.inner.description;
  }

  tensor(key: string, shape: readonly number[], init: ParamInit): Float32Array {
    const data = this.inner.tensor(key, shape, init);
    this.tensors.push({ key, shape: [...shape], data });
    return data;
  }
}
