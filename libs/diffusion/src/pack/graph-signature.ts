/** The declared inputs and outputs of an encoded ONNX model, as manifest tensor specs. */
import { onnx } from 'onnx-proto';
import type { DiffusionTensorSpec } from './manifest';

function specs(values: onnx.IValueInfoProto[]): DiffusionTensorSpec[] {
  return values.map((value) => ({
    name: value.name as string,
    dims: (value.type?.tensorType?.shape?.dim ?? []).map((dim) => (dim.dimParam ? dim.dimParam : Number(dim.dimValue))),
    dtype: 'float32' as const,
  }));
}

export function graphSignature(model: Uint8Array): { inputs: DiffusionTensorSpec[]; outputs: DiffusionTensorSpec[] } {
  const decoded = onnx.ModelProto.decode(model);
  return { inputs: specs(decoded.graph?.input ?? []), outputs: specs(decoded.graph?.output ?? []) };
}
