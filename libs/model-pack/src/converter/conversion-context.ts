/**
 * State of one conversion: which ONNX value holds each TF tensor, in which layout, and the constants.
 * 4-D activations are kept NCHW ('nchw') so convolutions need no transposes; everything else is 'native'
 * (TF's own axis order). Layout changes insert a Transpose once per value and are cached.
 */
import { FacexError } from '@facex/contracts';
import { OnnxGraphBuilder } from '@facex/onnx';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, constantForNchw } from './layout';
import type { ConstTensor } from './weights';
import type { TfjsNode } from './tfjs-graph-model';

export type Layout = 'nchw' | 'native';

export interface OnnxValue {
  name: string;
  layout: Layout;
  rank: number;
}

export class ConversionContext {
  readonly builder = new OnnxGraphBuilder();
  private readonly values = new Map<string, OnnxValue>();
  private readonly layoutCache = new Map<string, OnnxValue>();
  private readonly constCache = new Map<string, OnnxValue>();

  constructor(private readonly constants: ReadonlyMap<string, ConstTensor>) {}

  isConst(ref: string): boolean {
    return this.constants.has(ref) && !this.values.has(ref);
  }

  /** The constant behind a TF tensor name, or a typed error naming the node that needed it. */
  constant(node: TfjsNode, ref: string): ConstTensor {
    const tensor = this.constants.get(ref);
    if (!tensor) throw new FacexError('model_pack_invalid', `node '${node.name}' (${node.op}) needs '${ref}' to be a constant`, { field: node.name });
    return tensor;
  }

  constInts(node: TfjsNode, ref: string): number[] {
    return Array.from(this.constant(node, ref).data);
  }

  define(tfName: string, value: OnnxValue): void {
    this.values.set(tfName, value);
  }

  /** The ONNX value of a TF tensor; constants become float initializers in their own (native) layout. */
  value(node: TfjsNode, ref: string): OnnxValue {
    const defined = this.values.get(ref);
    if (defined) return defined;
    if (this.constants.has(ref)) return this.constValue(node, ref, 'native');
    throw new FacexError('model_pack_invalid', `node '${node.name}' (${node.op}) reads '${ref}', which no earlier node produces`, { field: node.name });
  }

  /** A float constant laid out to broadcast against values of `layout`. */
  constValue(node: TfjsNode, ref: string, layout: Layout): OnnxValue {
    const key = `${layout}\u0000${ref}`;
    const cached = this.constCache.get(key);
    if (cached) return cached;
    const tensor = this.constant(node, ref);
    if (tensor.dtype !== 'float32')
      throw new FacexError('model_pack_invalid', `node '${node.name}' uses int32 constant '${ref}' as data`, { field: node.name });
    const laidOut = layout === 'nchw' ? constantForNchw(tensor.data as Float32Array, tensor.shape) : { data: tensor.data as Float32Array, shape: tensor.shape };
    const value: OnnxValue = {
      name: this.builder.addFloatInitializer(layout === 'nchw' ? `${ref}/nchw` : ref, laidOut.shape, laidOut.data),
      layout: laidOut.shape.length === 4 ? layout : 'native',
      rank: laidOut.shape.length,
    };
    this.constCache.set(key, value);
    return value;
  }

  /** The value as NCHW; a native 4-D value (NHWC) gets a Transpose. */
  asNchw(node: TfjsNode, value: OnnxValue): OnnxValue {
    if (value.layout === 'nchw') return value;
    if (value.rank !== 4)
      throw new FacexError('model_pack_invalid', `node '${node.name}' (${node.op}) needs a 4-D input, got rank ${value.rank}`, { field: node.name });
    return this.transposed(value, 'nchw');
  }

  /** The value in TF's own axis order. */
  asNative(value: OnnxValue): OnnxValue {
    return value.layout === 'native' ? value : this.transposed(value, 'native');
  }

  private transposed(value: OnnxValue, layout: Layout): OnnxValue {
    const key = `${layout}\u0000${value.name}`;
    const cached = this.layoutCache.get(key);
    if (cached) return cached;
    const perm = layout === 'nchw' ? [...NHWC_TO_NCHW] : [...NCHW_TO_NHWC];
    const name = this.builder.emit('Transpose', [value.name], `${value.name}/${layout === 'nchw' ? 'to_nchw' : 'to_nhwc'}`, { perm });
    const result: OnnxValue = { name, layout, rank: 4 };
    this.layoutCache.set(key, result);
    return result;
  }
}
