/**
 * The layers face-api's networks are written in, emitted as ONNX (NCHW) nodes whose parameters are read by
 * name from a decoded face-api weights manifest (TensorFlow layouts: conv filters [kh, kw, in, out],
 * depthwise filters [kh, kw, channels, 1], dense weights [in, out]). Every value carries its static shape,
 * so a layer can decide what TF's eager code decides from tensor shapes (face-api's residual padding).
 */
import { FacexError } from '@facex/contracts';
import { transposeData, type ConstTensor } from '@facex/model-pack';
import { OnnxGraphBuilder } from '@facex/onnx';

/** An NCHW feature map with its static channels, height and width (batch is dynamic). */
export interface Feature {
  name: string;
  channels: number;
  height: number;
  width: number;
}

export type TfPadding = 'same' | 'valid';

/** TF's output size of a window op. */
function outputSize(size: number, kernel: number, stride: number, padding: TfPadding): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

/** TF 'same' puts the odd padding pixel at the end: ONNX's SAME_UPPER. */
const autoPad = (padding: TfPadding): string => (padding === 'same' ? 'SAME_UPPER' : 'VALID');

export class TfWeightsNet {
  readonly builder = new OnnxGraphBuilder();
  private readonly used = new Set<string>();
  private readonly scalars = new Map<number, string>();

  constructor(
    private readonly weights: ReadonlyMap<string, ConstTensor>,
    private readonly model: string,
  ) {}

  /** A float weight by name, its shape checked when `shape` is given. */
  tensor(name: string, shape?: readonly number[]): Float32Array {
    const tensor = this.weights.get(name);
    if (!tensor || tensor.dtype !== 'float32')
      throw new FacexError('model_pack_invalid', `${this.model}: the weights have no float tensor '${name}'`, { field: name });
    if (shape && (tensor.shape.length !== shape.length || tensor.shape.some((size, i) => size !== shape[i]))) {
      throw new FacexError('model_pack_invalid', `${this.model}: '${name}' has shape [${tensor.shape}], expected [${shape}]`, { field: name });
    }
    this.used.add(name);
    return tensor.data as Float32Array;
  }

  shapeOf(name: string): readonly number[] {
    const tensor = this.weights.get(name);
    if (!tensor) throw new FacexError('model_pack_invalid', `${this.model}: the weights have no tensor '${name}'`, { field: name });
    return tensor.shape;
  }

  /** Float weights the graph never read: a sign that the architecture and the weights disagree. */
  unusedFloatWeights(): string[] {
    return [...this.weights].filter(([name, tensor]) => tensor.dtype === 'float32' && !this.used.has(name)).map(([name]) => name);
  }

  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (!name) {
      name = this.builder.addFloatInitializer(`const/${value}`, [], Float32Array.of(value));
      this.scalars.set(value, name);
    }
    return name;
  }

  ints(base: string, values: readonly number[]): string {
    return this.builder.addInt64Initializer(base, [values.length], values);
  }

  /** A per-channel constant shaped to broadcast over NCHW. */
  channelConstant(base: string, values: Float32Array): string {
    return this.builder.addFloatInitializer(base, [1, values.length, 1, 1], values);
  }

  /** The graph input: NHWC float pixels (0…255, as face-api's tensors), returned as NCHW. */
  imageInput(name: string, size: number): Feature {
    this.builder.addInput(name, ['batch', size, size, 3]);
    return { name: this.builder.emit('Transpose', [name], `${name}/nchw`, { perm: [0, 3, 1, 2] }), channels: 3, height: size, width: size };
  }

  private same(x: Feature, name: string): Feature {
    return { ...x, name };
  }

  /** Element-wise op between a feature and a constant or another feature of the same shape. */
  binary(op: 'Add' | 'Sub' | 'Mul' | 'Div', x: Feature, y: Feature | string, base: string): Feature {
    return this.same(x, this.builder.emit(op, [x.name, typeof y === 'string' ? y : y.name], base));
  }

  relu(x: Feature): Feature {
    return this.same(x, this.builder.emit('Relu', [x.name], `${x.name}/relu`));
  }

  /** tf.clipByValue(x, 0, 6). */
  relu6(x: Feature): Feature {
    return this.same(x, this.builder.emit('Clip', [x.name, this.scalar(0), this.scalar(6)], `${x.name}/relu6`));
  }

  /** tf.conv2d with a [kh, kw, in, out] filter, plus an optional [out] bias. */
  conv(x: Feature, filterName: string, stride: number, padding: TfPadding, biasName?: string): Feature {
    const [kh, kw, inChannels, outChannels] = this.shapeOf(filterName) as [number, number, number, number];
    if (inChannels !== x.channels)
      throw new FacexError('model_pack_invalid', `${this.model}: '${filterName}' takes ${inChannels} channels, the input has ${x.channels}`, {
        field: filterName,
      });
    const oihw = transposeData(this.tensor(filterName), [kh, kw, inChannels, outChannels], [3, 2, 0, 1]);
    const inputs = [x.name, this.builder.addFloatInitializer(`${filterName}/oihw`, oihw.shape, oihw.data)];
    if (biasName) inputs.push(this.builder.addFloatInitializer(biasName, [outChannels], this.tensor(biasName, [outChannels])));
    const name = this.builder.emit('Conv', inputs, filterName.replace(/\/[^/]*$/, ''), {
      auto_pad: autoPad(padding),
      kernel_shape: [kh, kw],
      strides: [stride, stride],
    });
    return { name, channels: outChannels, height: outputSize(x.height, kh, stride, padding), width: outputSize(x.width, kw, stride, padding) };
  }

  /** tf.depthwiseConv2d with a [kh, kw, channels, 1] filter (a grouped convolution). */
  depthwise(x: Feature, filterName: string, stride: number, padding: TfPadding): Feature {
    const [kh, kw, channels, multiplier] = this.shapeOf(filterName) as [number, number, number, number];
    if (channels !== x.channels || multiplier !== 1)
      throw new FacexError('model_pack_invalid', `${this.model}: '${filterName}' does not fit a ${x.channels}-channel depthwise convolution`, {
        field: filterName,
      });
    const grouped = transposeData(this.tensor(filterName), [kh, kw, channels, 1], [2, 3, 0, 1]);
    const name = this.builder.emit(
      'Conv',
      [x.name, this.builder.addFloatInitializer(`${filterName}/oihw`, grouped.shape, grouped.data)],
      `${filterName}/depthwise`,
      {
        auto_pad: autoPad(padding),
        group: channels,
        kernel_shape: [kh, kw],
        strides: [stride, stride],
      },
    );
    return { ...x, name, height: outputSize(x.height, kh, stride, padding), width: outputSize(x.width, kw, stride, padding) };
  }

  /** tf.batchNorm(x, mean, variance, offset, scale, epsilon) in inference form. */
  batchNorm(x: Feature, names: { scale: string; offset: string; mean: string; variance: string }, epsilon: number): Feature {
    const vector = (name: string) => this.builder.addFloatInitializer(name, [x.channels], this.tensor(name, [x.channels]));
    const inputs = [x.name, vector(names.scale), vector(names.offset), vector(names.mean), vector(names.variance)];
    return this.same(x, this.builder.emit('BatchNormalization', inputs, `${names.scale}/batchnorm`, { epsilon: { float: epsilon } }));
  }

  /** x · weights + biases per channel (face-api's scale layer), or + bias alone. */
  channelAffine(x: Feature, scaleName: string | null, biasName: string): Feature {
    const scaled = scaleName ? this.binary('Mul', x, this.channelConstant(scaleName, this.tensor(scaleName, [x.channels])), `${scaleName}/mul`) : x;
    return this.binary('Add', scaled, this.channelConstant(biasName, this.tensor(biasName, [x.channels])), `${biasName}/add`);
  }

  pool(op: 'MaxPool' | 'AveragePool', x: Feature, kernel: number, stride: number, padding: TfPadding): Feature {
    const name = this.builder.emit(op, [x.name], `${x.name}/${op === 'MaxPool' ? 'maxpool' : 'avgpool'}`, {
      auto_pad: autoPad(padding),
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
      ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}),
    });
    return { ...x, name, height: outputSize(x.height, kernel, stride, padding), width: outputSize(x.width, kernel, stride, padding) };
  }

  /** Zeros appended after the last channel / row / column (TF's concat with a zeros tensor). */
  padEnd(x: Feature, more: { channels?: number; height?: number; width?: number }): Feature {
    const [c, h, w] = [more.channels ?? 0, more.height ?? 0, more.width ?? 0];
    const pads = this.ints(`${x.name}/pads`, [0, 0, 0, 0, 0, c, h, w]);
    const name = this.builder.emit('Pad', [x.name, pads], `${x.name}/pad`, { mode: 'constant' });
    return { name, channels: x.channels + c, height: x.height + h, width: x.width + w };
  }

  /** x.mean([1, 2]) of an NHWC tensor: [batch, channels]. */
  spatialMean(x: Feature): string {
    return this.builder.emit('ReduceMean', [x.name], `${x.name}/mean`, { axes: [2, 3], keepdims: 0 });
  }

  /** [batch, in] × weights [in, out] (+ bias [out]). */
  dense(x: string, weightsName: string, biasName?: string): string {
    const [rows, cols] = this.shapeOf(weightsName) as [number, number];
    const inputs = [x, this.builder.addFloatInitializer(weightsName, [rows, cols], this.tensor(weightsName, [rows, cols]))];
    if (biasName) inputs.push(this.builder.addFloatInitializer(biasName, [cols], this.tensor(biasName, [cols])));
    return this.builder.emit('Gemm', inputs, `${weightsName}/gemm`);
  }

  /** An NCHW feature map back to TF's NHWC element order, reshaped to [batch, ...rest]. */
  nhwcReshape(x: Feature, rest: readonly number[], base: string): string {
    const nhwc = this.builder.emit('Transpose', [x.name], `${x.name}/nhwc`, { perm: [0, 2, 3, 1] });
    return this.builder.emit('Reshape', [nhwc, this.ints(`${base}/shape`, [0, ...rest])], base);
  }

  output(name: string, value: string, dims: readonly (number | string)[]): void {
    this.builder.addNode('Identity', [value], name);
    this.builder.addOutput(name, dims);
  }

  /** Serialises the graph; refuses one that left float weights unread (but for those face-api ignores too). */
  encode(graphName: string, producerVersion: string, ignored: readonly string[] = []): Uint8Array {
    const unused = this.unusedFloatWeights().filter((name) => !ignored.includes(name));
    if (unused.length > 0)
      throw new FacexError('model_pack_invalid', `${this.model}: the graph does not use ${unused.length} weights (${unused.slice(0, 3).join(', ')}…)`, {
        field: unused[0],
      });
    return this.builder.encode({ graphName, producerName: 'facex-judge', producerVersion });
  }
}
