/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { ExternalDataInitializerStore } from './initializer-store';
import { OnnxGraphBuilder, onnxDataType } from './graph-builder';

const ENCODE = { graphName: 'test', producerName: 'facex-test', producerVersion: '1' };

/** y = x * w + b with w, b as initializers of the given type (float16 ones are cast back to float32). */
function affineGraph(builder: OnnxGraphBuilder, type: 'float32' | 'float16'): void {
  builder.addInput('x', ['batch', 4]);
  const weight = Float32Array.from({ length: 4 * 2048 }, (_, i) => ((i % 7) - 3) / 8);
  let w = builder.addFloatInitializer('w', [4, 2048], weight, type);
  let b = builder.addFloatInitializer('b', [2048], new Float32Array(2048).fill(0.5), type);
  if (type === 'float16') {
    w = builder.emit('Cast', [w], 'w32', { to: onnxDataType('float32') });
    b = builder.emit('Cast', [b], 'b32', { to: onnxDataType('float32') });
  }
  builder.addNode('Add', [builder.emit('MatMul', ['x', w], 'xw'), b], 'y');
  builder.addOutput('y', ['batch', 2048]);
}

async function run(model: Uint8Array | string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model as string);
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) });
  return out['y']!.data as Float32Array;
}

describe('OnnxGraphBuilder', () => {
  it('gives the same bytes for the same calls and declares the IR version and opsets', () => {
    const encode = (): Uint8Array => {
      const builder = new OnnxGraphBuilder();
      affineGraph(builder, 'float32');
      builder.emit('MultiHeadAttention', ['y', 'y', 'y'], 'mha', { num_heads: 1 }, 'com.microsoft');
      return builder.encode({ ...ENCODE, irVersion: 9 });
    };
    const bytes = encode();
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(encode()))).toBe(0);
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(9);
    expect(model.opsetImport.map((o) => `${o.domain}:${Number(o.version)}`)).toEqual([':17', 'com.microsoft:1']);
  });

  it('runs in onnxruntime with float32 and float16 initializers', async () => {
    const expected = new Float32Array(2048);
    for (let j = 0; j < 2048; j++) expected[j] = 0.5 + [1, 2, 3, 4].reduce((sum, x, i) => sum + (x * (((i * 2048 + j) % 7) - 3)) / 8, 0);
    for (const type of ['float32', 'float16'] as const) {
      const builder = new OnnxGraphBuilder();
      affineGraph(builder, type);
      expect(Array.from(await run(builder.encode(ENCODE)))).toEqual(Array.from(expected));
    }
  });

  it('streams large initializers to an external data file that onnxruntime loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facex-onnx-'));
    try {
      const store = new ExternalDataInitializerStore(join(dir, 'model.onnx.data'));
      const builder = new OnnxGraphBuilder(store);
      affineGraph(builder, 'float32');
      store.close();
      const modelPath = join(dir, 'model.onnx');
      writeFileSync(modelPath, builder.encode(ENCODE));
      expect(statSync(modelPath).size).toBeLessThan(2048);
      expect(store.bytesWritten).toBeGreaterThanOrEqual(4 * 2048 * 4);
      const inline = new OnnxGraphBuilder();
      affineGraph(inline, 'float32');
      expect(Array.from(await run(modelPath))).toEqual(Array.from(await run(inline.encode(ENCODE))));
      expect(readFileSync(join(dir, 'model.onnx.data')).byteLength).toBe(store.bytesWritten);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
