/**
 * Where initializer bytes go. Inline keeps them in the model proto (small graphs); external appends them to a
 * side file as they are added, so a multi-gigabyte graph (protobuf caps a message at 2 GB) is written
 * streaming and the proto holds only (location, offset, length) references.
 */
import { closeSync, openSync, writeSync } from 'fs';
import { basename } from 'path';
import { onnx } from 'onnx-proto';

export interface InitializerStore {
  /** The tensor proto for `bytes`; the store may copy or write them, the caller may reuse its buffer. */
  place(name: string, dims: readonly number[], dataType: onnx.TensorProto.DataType, bytes: Uint8Array): onnx.ITensorProto;
}

export class InlineInitializerStore implements InitializerStore {
  place(name: string, dims: readonly number[], dataType: onnx.TensorProto.DataType, bytes: Uint8Array): onnx.ITensorProto {
    return { name, dims: [...dims], dataType, rawData: Uint8Array.from(bytes) };
  }
}

/** ORT maps external data with mmap on some platforms; 64-byte alignment keeps every tensor aligned for SIMD. */
const EXTERNAL_ALIGNMENT = 64;

export class ExternalDataInitializerStore implements InitializerStore {
  private readonly fd: number;
  private readonly location: string;
  private offset = 0;
  /** Tensors smaller than this stay inline: shape constants and scalars that ORT folds at load time. */
  private readonly inlineBelowBytes: number;

  constructor(
    readonly path: string,
    options: { inlineBelowBytes?: number } = {},
  ) {
    this.fd = openSync(path, 'w');
    this.location = basename(path);
    this.inlineBelowBytes = options.inlineBelowBytes ?? 1024;
  }

  place(name: string, dims: readonly number[], dataType: onnx.TensorProto.DataType, bytes: Uint8Array): onnx.ITensorProto {
    if (bytes.byteLength < this.inlineBelowBytes) return new InlineInitializerStore().place(name, dims, dataType, bytes);
    const padding = (EXTERNAL_ALIGNMENT - (this.offset % EXTERNAL_ALIGNMENT)) % EXTERNAL_ALIGNMENT;
    if (padding > 0) writeSync(this.fd, new Uint8Array(padding), 0, padding, this.offset);
    const offset = this.offset + padding;
    writeSync(this.fd, bytes, 0, bytes.byteLength, offset);
    this.offset = offset + bytes.byteLength;
    return {
      name,
      dims: [...dims],
      dataType,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: this.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.byteLength) },
      ],
    };
  }

  /** Bytes written so far (the side file's size). */
  get bytesWritten(): number {
    return this.offset;
  }

  close(): void {
    closeSync(this.fd);
  }
}
