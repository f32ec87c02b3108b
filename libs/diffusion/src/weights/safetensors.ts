/**
 * safetensors files: an 8-byte little-endian header length, a JSON header mapping each key to
 * { dtype, shape, data_offsets: [begin, end] } (offsets into the data after the header), then the data.
 * The reader opens a file, checks the whole header against the file size up front (a truncated download is
 * refused before any graph is built) and reads one tensor at a time, so a 4 GB checkpoint is never held whole.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'fs';
import { FacexError } from '@facex/contracts';
import { bfloat16BitsToFloat32, float16BitsToFloat32, toFloat16Array } from '@facex/onnx';

export const SAFETENSORS_DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  /** Byte range inside the data section. */
  begin: number;
  end: number;
}

/** Guards against a corrupt length field making us allocate gigabytes for the header. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function invalid(file: string, message: string, details: Record<string, unknown> = {}): FacexError {
  return new FacexError('model_pack_invalid', `${file}: ${message}`, { file, ...details });
}

const elementCount = (shape: readonly number[]): number => shape.reduce((product, size) => product * size, 1);

function parseEntry(file: string, key: string, value: unknown, dataBytes: number): SafetensorsEntry {
  const record = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const { dtype, shape, data_offsets: offsets } = record ?? {};
  const validShape = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
  const validOffsets = Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isInteger(o) && o >= 0);
  if (typeof dtype !== 'string' || !validShape || !validOffsets) throw invalid(file, `header entry '${key}' is malformed`, { key });
  const [begin, end] = offsets as [number, number];
  const width = SAFETENSORS_DTYPES[dtype as SafetensorsDtype];
  if (width !== undefined && end - begin !== elementCount(shape as number[]) * width) {
    throw invalid(file, `tensor '${key}' spans ${end - begin} bytes, but ${dtype} ${JSON.stringify(shape)} needs ${elementCount(shape as number[]) * width}`, {
      key,
    });
  }
  if (end > dataBytes) {
    throw invalid(
      file,
      `file is shorter than its header says: tensor '${key}' ends at data byte ${end}, but the file holds ${dataBytes} data bytes (truncated?)`,
      { key },
    );
  }
  return { dtype, shape: shape as number[], begin, end };
}

export class SafetensorsFile {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly dataStart: number,
    readonly entries: ReadonlyMap<string, SafetensorsEntry>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {}

  static open(path: string): SafetensorsFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      throw invalid(path, 'cannot be opened');
    }
    try {
      const size = fstatSync(fd).size;
      const lengthBytes = Buffer.alloc(8);
      if (size < 8 || readSync(fd, lengthBytes, 0, 8, 0) !== 8) throw invalid(path, 'is too short to be a safetensors file');
      const headerLength = Number(lengthBytes.readBigUInt64LE(0));
      if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
        throw invalid(path, `file is shorter than its header says: header of ${headerLength} bytes, file of ${size} bytes`);
      }
      const headerBytes = Buffer.alloc(headerLength);
      readSync(fd, headerBytes, 0, headerLength, 8);
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(headerBytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw invalid(path, 'header is not valid JSON');
      }
      const dataStart = 8 + headerLength;
      const entries = new Map<string, SafetensorsEntry>();
      let metadata: Record<string, string> = {};
      for (const [key, value] of Object.entries(header)) {
        if (key === '__metadata__') metadata = value as Record<string, string>;
        else entries.set(key, parseEntry(path, key, value, size - dataStart));
      }
      return new SafetensorsFile(path, fd, dataStart, entries, metadata);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The tensor as float32, after checking it exists and has `expectedShape`. */
  readFloat32(key: string, expectedShape: readonly number[]): Float32Array {
    const entry = this.entries.get(key);
    if (!entry) throw invalid(this.path, `tensor '${key}' is missing (expected shape ${JSON.stringify(expectedShape)})`, { key });
    const sameShape = entry.shape.length === expectedShape.length && entry.shape.every((d, i) => d === expectedShape[i]);
    if (!sameShape) {
      throw invalid(this.path, `tensor '${key}' has shape ${JSON.stringify(entry.shape)}, but the architecture needs ${JSON.stringify(expectedShape)}`, {
        key,
      });
    }
    if (!(entry.dtype in SAFETENSORS_DTYPES)) throw invalid(this.path, `tensor '${key}' has dtype ${entry.dtype}; only F32, F16 and BF16 are read`, { key });
    const bytes = Buffer.alloc(entry.end - entry.begin);
    const read = readSync(this.fd, bytes, 0, bytes.byteLength, this.dataStart + entry.begin);
    if (read !== bytes.byteLength) throw invalid(this.path, `file is shorter than its header says while reading tensor '${key}'`, { key });
    return decode(entry.dtype as SafetensorsDtype, bytes);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function decode(dtype: SafetensorsDtype, bytes: Buffer): Float32Array {
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  const out = new Float32Array(bytes.byteLength / 2);
  const toFloat = dtype === 'F16' ? float16BitsToFloat32 : bfloat16BitsToFloat32;
  for (let i = 0; i < out.length; i++) out[i] = toFloat(bytes.readUInt16LE(2 * i));
  return out;
}

export interface SafetensorsTensor {
  key: string;
  shape: readonly number[];
  data: Float32Array;
}

/** Writes tensors (as F32 or F16) in the given order; the header's offsets follow that order. */
export function writeSafetensors(
  path: string,
  tensors: readonly SafetensorsTensor[],
  dtype: 'F32' | 'F16' = 'F32',
  metadata: Record<string, string> = {},
): void {
  const width = SAFETENSORS_DTYPES[dtype];
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const tensor of tensors) {
    if (elementCount(tensor.shape) !== tensor.data.length) {
      throw new FacexError('model_pack_invalid', `tensor '${tensor.key}' has ${tensor.data.length} values for shape ${JSON.stringify(tensor.shape)}`, {
        key: tensor.key,
      });
    }
    header[tensor.key] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + tensor.data.length * width] };
    offset += tensor.data.length * width;
  }
  // The format pads the header with spaces so the data starts 8-byte aligned.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const fd = openSync(path, 'w');
  try {
    const lengthBytes = Buffer.alloc(8);
    lengthBytes.writeBigUInt64LE(BigInt(headerBytes.byteLength));
    writeSync(fd, lengthBytes);
    writeSync(fd, headerBytes);
    for (const tensor of tensors) {
      const typed = dtype === 'F16' ? toFloat16Array(tensor.data) : tensor.data;
      writeSync(fd, new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
    }
  } finally {
    closeSync(fd);
  }
}
