import { isFacexError } from './errors';
import { EXPRESSION_COMPONENTS, MASK_SIZE, MESH_POINTS, REGION_NAMES, type FaceRepresentation } from './representation';
import { decodeRepresentation, encodeRepresentation } from './representation-codec';

function randomFloats(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

function sampleRepresentation(): FaceRepresentation {
  const masks = new Uint8Array(REGION_NAMES.length * MASK_SIZE * MASK_SIZE);
  masks.forEach((_, i) => (masks[i] = (i * 7) & 255));
  return {
    version: 1,
    asset: { sha256: 'ab'.repeat(32), width: 640, height: 480 },
    modelPack: { name: 'facex-ford', version: '1.0.0+abc' },
    faceIndex: 1,
    faceCount: 3,
    detection: { box: { x: 10.5, y: 20, width: 100, height: 120 }, score: 0.93 },
    alignment: { matrix: [1.5, 0.2, -10, -0.2, 1.5, 30] },
    landmarks: randomFloats(MESH_POINTS * 3, 1),
    irises: randomFloats(6, 2),
    identity: randomFloats(192, 3),
    motion: {
      pose: { yaw: 12.5, pitch: -3, roll: 1.25 },
      expression: randomFloats(EXPRESSION_COMPONENTS.length, 4),
      gaze: { left: { offsetX: 0.1, offsetY: -0.2, yaw: 5, pitch: -4 }, right: { offsetX: 0.12, offsetY: -0.1, yaw: 6, pitch: -2 } },
      canonicalMesh: randomFloats(MESH_POINTS * 3, 5),
    },
    environment: { lighting: randomFloats(27, 6) },
    masks,
  };
}

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('representation codec', () => {
  it('round-trips every field exactly', () => {
    const rep = sampleRepresentation();
    expect(decodeRepresentation(encodeRepresentation(rep))).toEqual(rep);
  });

  it('writes a safetensors file: length-prefixed JSON header with dtypes, shapes and offsets', () => {
    const bytes = encodeRepresentation(sampleRepresentation());
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString());
    expect(header.masks).toMatchObject({ dtype: 'U8', shape: [REGION_NAMES.length, MASK_SIZE, MASK_SIZE] });
    expect(header.identity).toMatchObject({ dtype: 'F32', shape: [192] });
    expect(JSON.parse(header.__metadata__.pose)).toEqual({ yaw: 12.5, pitch: -3, roll: 1.25 });
    const end = Math.max(...Object.values(header).flatMap((e) => (e as { data_offsets?: number[] }).data_offsets ?? [0]));
    expect(8 + headerLength + end).toBe(bytes.length);
  });

  it('is compact: the mask planes plus under 16 KB', () => {
    expect(encodeRepresentation(sampleRepresentation()).length).toBeLessThan(REGION_NAMES.length * MASK_SIZE * MASK_SIZE + 16_000);
  });

  it('refuses truncated bytes with a typed error', () => {
    const bytes = encodeRepresentation(sampleRepresentation());
    for (const length of [4, 100, bytes.length - 1]) {
      expect(
        isFacexError(
          errorOf(() => decodeRepresentation(bytes.subarray(0, length))),
          'invalid_representation',
        ),
      ).toBe(true);
    }
  });

  it('refuses another layout version and names the field', () => {
    const rep = { ...sampleRepresentation(), version: 2 } as unknown as FaceRepresentation;
    expect(errorOf(() => decodeRepresentation(encodeRepresentation(rep)))).toMatchObject({ code: 'invalid_representation', details: { field: 'version' } });
  });

  it('refuses to encode a tensor of the wrong length', () => {
    const rep = sampleRepresentation();
    rep.landmarks = new Float32Array(10);
    expect(errorOf(() => encodeRepresentation(rep))).toMatchObject({ code: 'invalid_representation', details: { field: 'landmarks' } });
  });
});
