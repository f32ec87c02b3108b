/**
 * Where a graph's parameters come from: a safetensors file (keys under a prefix, checked against the
 * architecture's shapes) or a seeded random initialisation. Each parameter states how PyTorch would
 * initialise it, so random packs have realistic activation scales and FRC output layers start at zero.
 */
import { FacexError } from '@facex/contracts';
import type { SafetensorsFile } from './safetensors';
import { fillNormal, fillUniform, rngForKey } from './seeded-random';

export type ParamInit =
  /** PyTorch's default for Linear/Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  | { kind: 'uniform'; fanIn: number }
  | { kind: 'constant'; value: number }
  /** Embedding tables (CLIP's class/position embeddings, learned queries). */
  | { kind: 'normal'; std: number };

export interface WeightSource {
  /** True when values are generated rather than read: the pack manifest must say so. */
  readonly random: boolean;
  /** A short description for the manifest: the file's sha256 or `random(seed)`. */
  readonly description: string;
  tensor(key: string, shape: readonly number[], init: ParamInit): Float32Array;
}

const elementCount = (shape: readonly number[]): number => shape.reduce((product, size) => product * size, 1);

export class RandomWeightSource implements WeightSource {
  readonly random = true;
  readonly description: string;

  constructor(private readonly seed: number) {
    this.description = `random(seed=${seed})`;
  }

  tensor(key: string, shape: readonly number[], init: ParamInit): Float32Array {
    const out = new Float32Array(elementCount(shape));
    switch (init.kind) {
      case 'constant':
        return out.fill(init.value);
      case 'uniform':
        return fillUniform(out, rngForKey(this.seed, key), 1 / Math.sqrt(init.fanIn));
      case 'normal':
        return fillNormal(out, rngForKey(this.seed, key), init.std);
    }
  }
}

export class SafetensorsWeightSource implements WeightSource {
  readonly random = false;

  constructor(
    private readonly file: SafetensorsFile,
    readonly description: string,
  ) {}

  tensor(key: string, shape: readonly number[]): Float32Array {
    return this.file.readFloat32(key, shape);
  }
}

/** A view of a source with a key prefix, e.g. `model.diffusion_model.` inside an SD checkpoint. */
export class WeightScope {
  constructor(
    readonly source: WeightSource,
    readonly prefix: string,
  ) {}

  child(name: string): WeightScope {
    return new WeightScope(this.source, `${this.prefix}${name}.`);
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  tensor(name: string, shape: readonly number[], init: ParamInit): Float32Array {
    const data = this.source.tensor(this.key(name), shape, init);
    if (data.length !== elementCount(shape)) {
      throw new FacexError('model_pack_invalid', `weights for '${this.key(name)}' have ${data.length} values, expected ${elementCount(shape)}`, {
        key: this.key(name),
      });
    }
    return data;
  }
}
