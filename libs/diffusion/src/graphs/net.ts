/**
 * The neural-network layers the diffusion graphs are written in, each emitting ONNX nodes and pulling its
 * parameters (PyTorch layout) from a WeightScope. Parameters are converted and handed to the builder's
 * initializer store one at a time, so building never holds more than one tensor beyond what the store keeps.
 */
import { OnnxGraphBuilder, onnxDataType, type InitializerStore, type OnnxAttribute, type OnnxDim } from '@facex/onnx';
import type { ParamInit, WeightScope } from '../weights/weight-source';
import type { GraphOptions } from './graph-options';

export type Value = string;

const fanInInit = (fanIn: number): ParamInit => ({ kind: 'uniform', fanIn });
const ONES: ParamInit = { kind: 'constant', value: 1 };
export const ZEROS: ParamInit = { kind: 'constant', value: 0 };

/** PyTorch [out, in] to ONNX MatMul's [in, out]. */
function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

export class Net {
  readonly builder: OnnxGraphBuilder;
  private readonly scalars = new Map<number, Value>();
  private readonly shapes = new Map<string, Value>();
  private readonly groupNormConstants = new Map<number, { unitScale: Value; zeroBias: Value }>();
  /** Parameters read so far (for the manifest's parameter count). */
  parameterCount = 0;

  constructor(
    readonly options: GraphOptions,
    store?: InitializerStore,
  ) {
    this.builder = new OnnxGraphBuilder(store);
  }

  get computeType(): 'float32' | 'float16' {
    return this.options.precision;
  }

  /** A float32 graph input, cast to the compute type. */
  input(name: string, dims: readonly OnnxDim[]): Value {
    this.builder.addInput(name, dims);
    return this.computeType === 'float32' ? name : this.cast(name, 'float16');
  }

  /** A float32 graph output from a compute-type value. */
  output(name: string, value: Value, dims: readonly OnnxDim[]): void {
    this.builder.addNode(
      this.computeType === 'float32' ? 'Identity' : 'Cast',
      [value],
      name,
      this.computeType === 'float32' ? {} : { to: onnxDataType('float32') },
    );
    this.builder.addOutput(name, dims);
  }

  cast(value: Value, to: 'float32' | 'float16'): Value {
    return this.builder.emit('Cast', [value], `${value}/${to}`, { to: onnxDataType(to) });
  }

  op(opType: string, inputs: Value[], base: string, attributes: Record<string, OnnxAttribute> = {}, domain = ''): Value {
    return this.builder.emit(opType, inputs, base, attributes, domain);
  }

  /** A parameter from the scope as an initializer of the compute type; `layout` reorders the data first. */
  param(
    scope: WeightScope,
    name: string,
    shape: readonly number[],
    init: ParamInit,
    layout?: { dims: readonly number[]; reorder: (data: Float32Array) => Float32Array },
  ): Value {
    const data = scope.tensor(name, shape, init);
    this.parameterCount += data.length;
    const placed = layout ? layout.reorder(data) : data;
    return this.builder.addFloatInitializer(scope.key(name), layout ? layout.dims : shape, placed, this.computeType);
  }

  /** A compute-type scalar constant (broadcasts against anything). */
  scalar(value: number): Value {
    const cached = this.scalars.get(value);
    if (cached) return cached;
    const name = this.builder.addFloatInitializer(`const/${value}`, [], Float32Array.of(value), this.computeType);
    this.scalars.set(value, name);
    return name;
  }

  ints(values: readonly number[]): Value {
    const key = values.join(',');
    const cached = this.shapes.get(key);
    if (cached) return cached;
    const name = this.builder.addInt64Initializer(`ints/${key}`, [values.length], values);
    this.shapes.set(key, name);
    return name;
  }

  add(a: Value, b: Value, base = 'add'): Value {
    return this.op('Add', [a, b], base);
  }

  mul(a: Value, b: Value, base = 'mul'): Value {
    return this.op('Mul', [a, b], base);
  }

  silu(x: Value): Value {
    return this.mul(x, this.op('Sigmoid', [x], `${x}/sigmoid`), `${x}/silu`);
  }

  /** Exact GELU, 0.5·x·(1 + erf(x/√2)) (opset 17 has no Gelu op; onnxruntime fuses this pattern). */
  gelu(x: Value): Value {
    const erf = this.op('Erf', [this.mul(x, this.scalar(Math.SQRT1_2))], `${x}/erf`);
    return this.mul(this.mul(x, this.scalar(0.5)), this.add(erf, this.scalar(1)), `${x}/gelu`);
  }

  /** CLIP's quick GELU, x·sigmoid(1.702·x). */
  quickGelu(x: Value): Value {
    return this.mul(x, this.op('Sigmoid', [this.mul(x, this.scalar(1.702))], `${x}/sigmoid`), `${x}/quick_gelu`);
  }

  reshape(x: Value, dims: readonly number[], base = `${x}/reshape`): Value {
    return this.op('Reshape', [x, this.ints(dims)], base);
  }

  transpose(x: Value, perm: number[]): Value {
    return this.op('Transpose', [x], `${x}/transpose`, { perm });
  }

  /** Conv2d with PyTorch's [out, in, k, k] weight; `pads` is [top, left, bottom, right]. */
  conv2d(
    scope: WeightScope,
    x: Value,
    spec: { inChannels: number; outChannels: number; kernel: number; stride?: number; pads?: number[]; bias?: boolean },
  ): Value {
    const { inChannels, outChannels, kernel } = spec;
    const fanIn = inChannels * kernel * kernel;
    const weight = this.param(scope, 'weight', [outChannels, inChannels, kernel, kernel], fanInInit(fanIn));
    const inputs = [x, weight];
    if (spec.bias !== false) inputs.push(this.param(scope, 'bias', [outChannels], fanInInit(fanIn)));
    const pad = Math.floor(kernel / 2);
    return this.op('Conv', inputs, scope.prefix.slice(0, -1), {
      kernel_shape: [kernel, kernel],
      pads: spec.pads ?? [pad, pad, pad, pad],
      strides: [spec.stride ?? 1, spec.stride ?? 1],
    });
  }

  /** Linear over the last axis with PyTorch's [out, in] weight. */
  linear(scope: WeightScope, x: Value, inWidth: number, outWidth: number, bias = true, init: ParamInit = fanInInit(inWidth)): Value {
    const weight = this.param(scope, 'weight', [outWidth, inWidth], init, {
      dims: [inWidth, outWidth],
      reorder: (data) => transposeMatrix(data, outWidth, inWidth),
    });
    const product = this.op('MatMul', [x, weight], `${scope.prefix}matmul`);
    if (!bias) return product;
    return this.add(product, this.param(scope, 'bias', [outWidth], init.kind === 'uniform' ? fanInInit(inWidth) : init), scope.prefix.slice(0, -1));
  }

  layerNorm(scope: WeightScope, x: Value, width: number, epsilon = 1e-5): Value {
    const scale = this.param(scope, 'weight', [width], ONES);
    const bias = this.param(scope, 'bias', [width], ZEROS);
    return this.op('LayerNormalization', [x, scale, bias], scope.prefix.slice(0, -1), { axis: -1, epsilon: { float: epsilon } });
  }

  /**
   * GroupNorm on NCHW: InstanceNormalization over [B, groups, C/groups·H·W], then the per-channel affine.
   * (GroupNormalization arrived in opset 18 and is not implemented everywhere.)
   */
  groupNorm(scope: WeightScope, x: Value, channels: number, groups: number, epsilon: number): Value {
    const grouped = this.reshape(x, [0, groups, -1]);
    const { unitScale, zeroBias } = this.instanceNormIdentity(groups);
    const normalised = this.op('InstanceNormalization', [grouped, unitScale, zeroBias], `${scope.prefix}instancenorm`, { epsilon: { float: epsilon } });
    const restored = this.op('Reshape', [normalised, this.op('Shape', [x], `${x}/shape`)], `${scope.prefix}restore`);
    const channelDims = { dims: [channels, 1, 1], reorder: (data: Float32Array) => data };
    const weight = this.param(scope, 'weight', [channels], ONES, channelDims);
    const bias = this.param(scope, 'bias', [channels], ZEROS, channelDims);
    return this.add(this.mul(restored, weight), bias, scope.prefix.slice(0, -1));
  }

  /** InstanceNormalization's scale (ones) and bias (zeros) for `groups` channels, shared by every GroupNorm. */
  private instanceNormIdentity(groups: number): { unitScale: Value; zeroBias: Value } {
    const cached = this.groupNormConstants.get(groups);
    if (cached) return cached;
    const constants = {
      unitScale: this.builder.addFloatInitializer(`groupnorm/ones${groups}`, [groups], new Float32Array(groups).fill(1), this.computeType),
      zeroBias: this.builder.addFloatInitializer(`groupnorm/zeros${groups}`, [groups], new Float32Array(groups), this.computeType),
    };
    this.groupNormConstants.set(groups, constants);
    return constants;
  }

  /**
   * Scaled dot-product attention of q [B, Tq, C] over k, v [B, Tk, C] with `heads` heads; the result is
   * [B, Tq, C]. The contrib path hands the same computation to com.microsoft.MultiHeadAttention.
   */
  attention(q: Value, k: Value, v: Value, heads: number, width: number, base: string): Value {
    if (this.options.attention === 'contrib') return this.op('MultiHeadAttention', [q, k, v], `${base}/mha`, { num_heads: heads }, 'com.microsoft');
    const headDim = width / heads;
    const split = (x: Value, perm: number[]): Value => this.transpose(this.reshape(x, [0, 0, heads, headDim]), perm);
    const scaledQ = this.mul(split(q, [0, 2, 1, 3]), this.scalar(1 / Math.sqrt(headDim)), `${base}/q_scaled`);
    const scores = this.op('MatMul', [scaledQ, split(k, [0, 2, 3, 1])], `${base}/scores`);
    const weights = this.op('Softmax', [scores], `${base}/softmax`, { axis: -1 });
    const mixed = this.op('MatMul', [weights, split(v, [0, 2, 1, 3])], `${base}/mixed`);
    return this.reshape(this.transpose(mixed, [0, 2, 1, 3]), [0, 0, width], `${base}/merged`);
  }
}
