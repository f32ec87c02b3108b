/**
 * Accumulates an ONNX graph (nodes, initializers, inputs, outputs) and serialises it with onnx-proto.
 * Names are allocated deterministically, so the same calls always give the same bytes.
 */
import { onnx } from 'onnx-proto';
import { toFloat16Array } from './float16';
import { InlineInitializerStore, type InitializerStore } from './initializer-store';

export const ONNX_OPSET = 17;
/** IR 8 loads in every onnxruntime from 1.10 on (the CPU build here reads up to 10, the GPU build 13). */
export const ONNX_IR_VERSION = 8;
/** Microsoft contrib ops (MultiHeadAttention and friends) live in this domain, version 1. */
export const MICROSOFT_DOMAIN = 'com.microsoft';

export type OnnxAttribute = number | number[] | string | { float: number };

/** A value dimension: a fixed size or a symbolic name (dynamic batch, height, ...). */
export type OnnxDim = number | string;

export type OnnxElementType = 'float32' | 'float16' | 'int64';

const ELEMENT_TYPE: Record<OnnxElementType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int64: onnx.TensorProto.DataType.INT64,
};

/** The ONNX TensorProto data type code of an element type (for Cast's `to`). */
export function onnxDataType(type: OnnxElementType): number {
  return ELEMENT_TYPE[type];
}

function encodeAttribute(name: string, value: OnnxAttribute): onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: types.STRING, s: Buffer.from(value, 'utf8') };
  if (typeof value === 'number') return { name, type: types.INT, i: value };
  if (Array.isArray(value)) return { name, type: types.INTS, ints: value };
  return { name, type: types.FLOAT, f: value.float };
}

function valueInfo(name: string, dims: readonly OnnxDim[] | undefined, type: OnnxElementType): onnx.IValueInfoProto {
  const shape = dims && { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType: ELEMENT_TYPE[type], ...(shape ? { shape } : {}) } } };
}

export interface EncodeOptions {
  graphName: string;
  producerName: string;
  producerVersion: string;
  /** Defaults to ONNX_IR_VERSION. */
  irVersion?: number;
  /** Defaults to ONNX_OPSET; com.microsoft is imported automatically when a node uses it. */
  opset?: number;
}

export class OnnxGraphBuilder {
  private readonly usedNames = new Set<string>();
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly domains = new Set<string>();

  constructor(private readonly store: InitializerStore = new InlineInitializerStore()) {}

  /** Reserves `base` (or `base#2`, `base#3`, ...) as a value name. */
  freshName(base: string): string {
    let name = base;
    for (let n = 2; this.usedNames.has(name); n++) name = `${base}#${n}`;
    this.usedNames.add(name);
    return name;
  }

  addInput(name: string, dims: readonly OnnxDim[], type: OnnxElementType = 'float32'): void {
    this.usedNames.add(name);
    this.inputs.push(valueInfo(name, dims, type));
  }

  addOutput(name: string, dims?: readonly OnnxDim[], type: OnnxElementType = 'float32'): void {
    this.outputs.push(valueInfo(name, dims, type));
  }

  /** A float initializer, stored as float32 or (converted, rounding to nearest even) float16. */
  addFloatInitializer(base: string, dims: readonly number[], data: Float32Array, type: 'float32' | 'float16' = 'float32'): string {
    const name = this.freshName(base);
    const typed = type === 'float16' ? toFloat16Array(data) : data;
    const raw = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    this.initializers.push(this.store.place(name, dims, ELEMENT_TYPE[type], raw));
    return name;
  }

  addInt64Initializer(base: string, dims: readonly number[], values: readonly number[]): string {
    const name = this.freshName(base);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push(this.store.place(name, dims, ELEMENT_TYPE.int64, new Uint8Array(data.buffer)));
    return name;
  }

  /** Adds one node; `output` is a name already reserved with `freshName` (or a graph output name). */
  addNode(opType: string, inputs: string[], output: string, attributes: Record<string, OnnxAttribute> = {}, domain = ''): string {
    this.usedNames.add(output);
    const attribute = Object.keys(attributes)
      .sort()
      .map((key) => encodeAttribute(key, attributes[key] as OnnxAttribute));
    if (domain !== '') this.domains.add(domain);
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute, ...(domain !== '' ? { domain } : {}) });
    return output;
  }

  /** Convenience: a node whose single output gets a fresh name derived from `base`. */
  emit(opType: string, inputs: string[], base: string, attributes: Record<string, OnnxAttribute> = {}, domain = ''): string {
    return this.addNode(opType, inputs, this.freshName(base), attributes, domain);
  }

  encode(options: EncodeOptions): Uint8Array {
    const opsetImport = [{ domain: '', version: options.opset ?? ONNX_OPSET }, ...[...this.domains].sort().map((domain) => ({ domain, version: 1 }))];
    const model: onnx.IModelProto = {
      irVersion: options.irVersion ?? ONNX_IR_VERSION,
      opsetImport,
      producerName: options.producerName,
      producerVersion: options.producerVersion,
      graph: { name: options.graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    return onnx.ModelProto.encode(model).finish();
  }
}
