import { isFacexError } from '@facex/contracts';
import { onnx } from 'onnx-proto';
import { convertGraphModel } from './convert-graph-model';
import { attr, SyntheticGraph } from '../testing/synthetic-graph';

function conversionError(modelJson: unknown, weights: Uint8Array): unknown {
  try {
    convertGraphModel(modelJson, weights);
  } catch (error) {
    return error;
  }
  return undefined;
}

function smallGraph(): SyntheticGraph {
  return new SyntheticGraph()
    .input('image', [-1, 4, 4, 3])
    .randomConst('w', [1, 1, 3, 2])
    .op('conv', 'Conv2D', ['image', 'w'], { strides: attr.ints([1, 1, 1, 1]), padding: attr.str('VALID'), dilations: attr.ints([1, 1, 1, 1]) })
    .op('out', 'Relu', ['conv']);
}

describe('convertGraphModel', () => {
  it('writes an opset 17 / IR 8 model whose interface keeps the TF names and NHWC shape', () => {
    const { modelJson, weights } = smallGraph().build();
    const model = onnx.ModelProto.decode(convertGraphModel(modelJson, weights));
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => Number(o.version))).toEqual([17]);
    const input = model.graph?.input?.[0];
    expect(input?.name).toBe('image');
    expect(input?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 4, 4, 3]);
    expect(model.graph?.output?.map((o) => o.name)).toEqual(['out']);
    expect(model.graph?.initializer?.every((t) => t.dataType === onnx.TensorProto.DataType.FLOAT)).toBe(true);
  });

  it('is byte-for-byte deterministic', () => {
    const { modelJson, weights } = smallGraph().build();
    expect(convertGraphModel(modelJson, weights)).toEqual(convertGraphModel(modelJson, weights));
  });

  it('refuses an unsupported op, naming the node', () => {
    const { modelJson, weights } = smallGraph().op('cumulative', 'Cumsum', ['out']).build();
    const error = conversionError(modelJson, weights);
    expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
    expect((error as Error).message).toContain("'cumulative' (Cumsum)");
  });

  it('refuses JSON that is not a TF.js graph model, naming the field', () => {
    const error = conversionError({ format: 'layers-model', modelTopology: {} }, new Uint8Array());
    expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
    expect((error as Error).message).toContain('format');
  });
});
