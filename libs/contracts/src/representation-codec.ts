import { FacexError } from './errors';
import { EXPRESSION_COMPONENTS, MASK_SIZE, MESH_POINTS, REGION_NAMES, REPRESENTATION_VERSION, type FaceRepresentation } from './representation';

/**
 * Binary form of a FaceRepresentation for caches and the blob store, in the safetensors layout: an 8-byte
 * little-endian header length, a JSON header (tensor dtypes, shapes, byte ranges, and the scalar fields under
 * `__metadata__` as JSON strings), then the raw little-endian tensor bytes. Any safetensors reader can open it.
 */

type TensorField = 'landmarks' | 'irises' | 'identity' | 'expression' | 'canonicalMesh' | 'lighting' | 'masks';

interface TensorSpec {
  dtype: 'F32' | 'U8';
  /** The shape, from the representation only where it varies with the model pack (the identity width). */
  shape: (rep: FaceRepresentation) => number[];
  get: (rep: FaceRepresentation) => Float32Array | Uint8Array;
}

// Float tensors first so that every one starts on a 4-byte boundary after the 8-aligned header.
const TENSORS: Record<TensorField, TensorSpec> = {
  landmarks: { dtype: 'F32', shape: () => [MESH_POINTS, 3], get: (r) => r.landmarks },
  irises: { dtype: 'F32', shape: () => [2, 3], get: (r) => r.irises },
  identity: { dtype: 'F32', shape: (r) => [r.identity.length], get: (r) => r.identity },
  expression: { dtype: 'F32', shape: () => [EXPRESSION_COMPONENTS.length], get: (r) => r.motion.expression },
  canonicalMesh: { dtype: 'F32', shape: () => [MESH_POINTS, 3], get: (r) => r.motion.canonicalMesh },
  lighting: { dtype: 'F32', shape: () => [3, 9], get: (r) => r.environment.lighting },
  masks: { dtype: 'U8', shape: () => [REGION_NAMES.length, MASK_SIZE, MASK_SIZE], get: (r) => r.masks },
};
const FIELDS = Object.keys(TENSORS) as TensorField[];

type Metadata = Pick<FaceRepresentation, 'version' | 'asset' | 'modelPack' | 'faceIndex' | 'faceCount' | 'detection' | 'alignment'> & {
  pose: FaceRepresentation['motion']['pose'];
  gaze: FaceRepresentation['motion']['gaze'];
};

const METADATA_KEYS: (keyof Metadata)[] = ['asset', 'modelPack', 'faceIndex', 'faceCount', 'detection', 'alignment', 'pose', 'gaze'];

export function encodeRepresentation(rep: FaceRepresentation): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const field of FIELDS) {
    const spec = TENSORS[field];
    const values = spec.get(rep);
    const shape = spec.shape(rep);
    if (values.length !== shape.reduce((a, b) => a * b, 1)) {
      throw invalid(`${field} has ${values.length} values, its shape [${shape}] needs ${shape.reduce((a, b) => a * b, 1)}`, field);
    }
    header[field] = { dtype: spec.dtype, shape, data_offsets: [offset, offset + values.byteLength] };
    offset += values.byteLength;
  }
  const metadata: Metadata = {
    version: rep.version,
    asset: rep.asset,
    modelPack: rep.modelPack,
    faceIndex: rep.faceIndex,
    faceCount: rep.faceCount,
    detection: rep.detection,
    alignment: rep.alignment,
    pose: rep.motion.pose,
    gaze: rep.motion.gaze,
  };
  header.__metadata__ = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, JSON.stringify(v)]));
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.length;
  for (const field of FIELDS) {
    const values = TENSORS[field].get(rep);
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), cursor);
    cursor += values.byteLength;
  }
  return out;
}

export function decodeRepresentation(bytes: Uint8Array): FaceRepresentation {
  if (bytes.length < 8) throw invalid('shorter than its length prefix');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw invalid('header runs past the end (truncated)');
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__?: Record<string, string> };
  let metadata: Metadata;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
    metadata = Object.fromEntries(Object.entries(header.__metadata__ ?? {}).map(([k, v]) => [k, JSON.parse(v)])) as Metadata;
  } catch {
    throw invalid('header is not valid JSON');
  }
  if (metadata.version !== REPRESENTATION_VERSION) {
    throw invalid(`version ${String(metadata.version)} is not the supported ${REPRESENTATION_VERSION}`, 'version');
  }
  for (const key of METADATA_KEYS) if (metadata[key] === undefined) throw invalid(`metadata lacks ${key}`, key);
  const dataStart = 8 + headerLength;
  const tensor = <T extends Float32Array | Uint8Array>(field: TensorField): T => {
    const entry = header[field];
    const spec = TENSORS[field];
    if (!entry || entry.dtype !== spec.dtype) throw invalid(`${field} is missing or not ${spec.dtype}`, field);
    const [begin, end] = entry.data_offsets;
    const width = spec.dtype === 'F32' ? 4 : 1;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (!(begin >= 0 && end - begin === count * width && dataStart + end <= bytes.length)) {
      throw invalid(`${field} bytes are out of range (truncated?)`, field);
    }
    // copy: a view could be misaligned and would pin the whole input buffer
    const copy = bytes.slice(dataStart + begin, dataStart + end);
    return (spec.dtype === 'F32' ? new Float32Array(copy.buffer) : copy) as T;
  };
  const rep: FaceRepresentation = {
    version: REPRESENTATION_VERSION,
    asset: metadata.asset,
    modelPack: metadata.modelPack,
    faceIndex: metadata.faceIndex,
    faceCount: metadata.faceCount,
    detection: metadata.detection,
    alignment: metadata.alignment,
    landmarks: tensor('landmarks'),
    irises: tensor('irises'),
    identity: tensor('identity'),
    motion: { pose: metadata.pose, gaze: metadata.gaze, expression: tensor('expression'), canonicalMesh: tensor('canonicalMesh') },
    environment: { lighting: tensor('lighting') },
    masks: tensor('masks'),
  };
  for (const field of FIELDS) {
    const expected = TENSORS[field].shape(rep).reduce((a, b) => a * b, 1);
    if (TENSORS[field].get(rep).length !== expected) throw invalid(`${field} has the wrong shape`, field);
  }
  return rep;
}

function invalid(message: string, field?: string): FacexError {
  return new FacexError('invalid_representation', `representation: ${message}`, field ? { field } : {});
}
