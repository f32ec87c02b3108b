/**
 * Builds small TF.js graph models (model.json object plus weights) for converter tests of single ops.
 * Weights are pseudo-random but seeded, so every run sees the same graph.
 */
import { elementCount } from '../converter/weights';

type AttrValue = Record<string, unknown>;

export const attr = {
  ints: (values: number[]): AttrValue => ({ list: { i: values.map(String) } }),
  str: (value: string): AttrValue => ({ s: Buffer.from(value).toString('base64') }),
  strs: (values: string[]): AttrValue => ({ list: { s: values.map((v) => Buffer.from(v).toString('base64')) } }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  float: (value: number): AttrValue => ({ f: value }),
  int: (value: number): AttrValue => ({ i: String(value) }),
};

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export class SyntheticGraph {
  private readonly nodes: { name: string; op: string; input: string[]; attr: Record<string, AttrValue> }[] = [];
  private readonly specs: WeightSpec[] = [];
  private readonly chunks: Uint8Array[] = [];
  private seed = 12345;

  private random(): number {
    // LCG in [-1, 1).
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    return this.seed / 2 ** 31 - 1;
  }

  input(name: string, shape: number[]): this {
    const dim = shape.map((size) => ({ size: String(size) }));
    this.nodes.push({ name, op: 'Placeholder', input: [], attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim } } } });
    return this;
  }

  /** A float constant with seeded values in [-scale, scale). */
  randomConst(name: string, shape: number[], scale = 1): this {
    return this.floatConst(
      name,
      shape,
      Float32Array.from({ length: elementCount(shape) }, () => this.random() * scale),
    );
  }

  floatConst(name: string, shape: number[], values: Float32Array): this {
    this.specs.push({ name, shape, dtype: 'float32' });
    this.chunks.push(new Uint8Array(values.buffer));
    this.nodes.push({ name, op: 'Const', input: [], attr: { dtype: { type: 'DT_FLOAT' } } });
    return this;
  }

  intConst(name: string, values: number[], shape: number[] = [values.length]): this {
    this.specs.push({ name, shape, dtype: 'int32' });
    this.chunks.push(new Uint8Array(Int32Array.from(values).buffer));
    this.nodes.push({ name, op: 'Const', input: [], attr: { dtype: { type: 'DT_INT32' } } });
    return this;
  }

  op(name: string, op: string, input: string[], attrs: Record<string, AttrValue> = {}): this {
    this.nodes.push({ name, op, input, attr: { T: { type: 'DT_FLOAT' }, ...attrs } });
    return this;
  }

  build(): { modelJson: unknown; weights: Uint8Array } {
    const weights = new Uint8Array(this.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of this.chunks) {
      weights.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return {
      modelJson: {
        format: 'graph-model',
        generatedBy: 'facex synthetic test graph',
        modelTopology: { node: this.nodes, library: {}, versions: {} },
        weightsManifest: [{ paths: ['weights.bin'], weights: this.specs }],
      },
      weights,
    };
  }
}
