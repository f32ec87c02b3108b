import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isFacexError } from '@facex/contracts';
import { buildUNetGraph } from '../graphs/unet';
import { DEFAULT_GRAPH_OPTIONS } from '../graphs/graph-options';
import { TINY_UNET } from '../graphs/unet-config';
import { RecordingWeightSource } from './recording-weight-source';
import { SafetensorsFile, writeSafetensors, type SafetensorsTensor } from './safetensors';
import { RandomWeightSource, SafetensorsWeightSource, WeightScope } from './weight-source';

const dir = mkdtempSync(join(tmpdir(), 'facex-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tensors: SafetensorsTensor[] = [
  { key: 'a.weight', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0.25, 1e-3, -7) },
  { key: 'b.bias', shape: [4], data: Float32Array.of(0.1, 0.2, 0.3, 65504) },
];

/** Expects `action` to throw model_pack_invalid whose message names `key` (and matches `pattern`). */
function expectRefused(action: () => unknown, key: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(isFacexError(caught, 'model_pack_invalid')).toBe(true);
  expect((caught as Error).message).toContain(`'${key}'`);
  expect((caught as Error).message).toMatch(pattern);
}

describe('safetensors', () => {
  it('round-trips float32 exactly and float16 to half precision', () => {
    for (const dtype of ['F32', 'F16'] as const) {
      const path = join(dir, `round-${dtype}.safetensors`);
      writeSafetensors(path, tensors, dtype, { format: 'pt' });
      const file = SafetensorsFile.open(path);
      expect(file.metadata).toEqual({ format: 'pt' });
      expect([...file.entries.keys()]).toEqual(['a.weight', 'b.bias']);
      const a = file.readFloat32('a.weight', [2, 3]);
      const tolerance = dtype === 'F32' ? 0 : 2e-3;
      a.forEach((v, i) => expect(Math.abs(v - tensors[0]!.data[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(v))));
      expect(file.readFloat32('b.bias', [4])[3]).toBe(65504);
      file.close();
    }
  });

  it('reads bfloat16 tensors', () => {
    const header = Buffer.from(JSON.stringify({ x: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.byteLength));
    const data = Buffer.from(Uint16Array.of(0x3f80, 0xc040).buffer);
    const path = join(dir, 'bf16.safetensors');
    writeFileSync(path, Buffer.concat([length, header, data]));
    const file = SafetensorsFile.open(path);
    expect(Array.from(file.readFloat32('x', [2]))).toEqual([1, -3]);
    file.close();
  });

  it('refuses a truncated file at open, naming the tensor past the end', () => {
    const path = join(dir, 'truncated.safetensors');
    writeSafetensors(path, tensors);
    truncateSync(path, readFileSync(path).byteLength - 3);
    expectRefused(() => SafetensorsFile.open(path), 'b.bias', /shorter than its header says/);
  });

  it('refuses a missing key and a wrong shape, naming the key', () => {
    const path = join(dir, 'shapes.safetensors');
    writeSafetensors(path, tensors);
    const file = SafetensorsFile.open(path);
    expectRefused(() => file.readFloat32('c.weight', [1]), 'c.weight', /missing/);
    expectRefused(() => file.readFloat32('a.weight', [3, 2]), 'a.weight', /shape \[2,3\].*needs \[3,2\]/);
    file.close();
  });

  it('refuses to build a U-Net from a checkpoint with one mismatched tensor', () => {
    const recorder = new RecordingWeightSource(new RandomWeightSource(1));
    const unetScope = (source: RecordingWeightSource | SafetensorsWeightSource): WeightScope => new WeightScope(source, 'model.diffusion_model.');
    buildUNetGraph(TINY_UNET, { unet: unetScope(recorder), frc: null }, DEFAULT_GRAPH_OPTIONS);
    const key = 'model.diffusion_model.input_blocks.1.1.proj_in.weight';
    const tampered = recorder.tensors.map((t) => (t.key === key ? { ...t, shape: [t.shape[0]!, t.shape[1]!] } : t));
    const path = join(dir, 'tampered.safetensors');
    writeSafetensors(path, tampered);
    const file = SafetensorsFile.open(path);
    expectRefused(
      () => buildUNetGraph(TINY_UNET, { unet: unetScope(new SafetensorsWeightSource(file, 'test')), frc: null }, DEFAULT_GRAPH_OPTIONS),
      key,
      /architecture needs \[32,32,1,1\]/,
    );
    file.close();
  });
});
