/**
 * An upload spooled to a temporary file as it arrives, hashed and counted on the way: a video (up to
 * FACEX_VIDEO_MAX_BYTES) is probed by ffprobe from the file and stored from it, never held whole in memory.
 * The file lives in a directory of its own under the upload directory and is removed whatever happens
 * (stored, refused, or the client gone mid-upload).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Enough of the first bytes to tell a video container from an image (looksLikeVideo, videoContentType). */
const HEAD_BYTES = 64;

export interface SpooledUpload {
  path: string;
  size: number;
  sha256: string;
  /** The first bytes of the file. */
  head: Uint8Array;
}

/** The spool itself failed (the upload directory is missing or full): the server's fault, not the upload's. */
export class UploadSpoolError extends Error {
  constructor(cause: unknown) {
    super(`cannot spool the upload (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'UploadSpoolError';
  }
}

/**
 * Writes `source` to a temporary file under `dir`, runs `use` on it, then removes it. A source that fails
 * (or was already destroyed: a body cut short) rejects with its own error; the disk's failures reject with
 * UploadSpoolError.
 */
export async function withSpooledUpload<T>(dir: string, source: Readable, use: (upload: SpooledUpload) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(dir, 'facex-upload-')).catch((error: unknown) => {
    throw new UploadSpoolError(error);
  });
  try {
    // Destroyed while the folder was made, its error already emitted: a pipeline would wait on it for ever.
    if (source.destroyed) throw source.errored ?? new Error('the upload ended before it was complete');
    const path = join(folder, 'upload');
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const sink = createWriteStream(path);
    let sinkError: unknown;
    sink.once('error', (error) => (sinkError = error));
    await pipeline(source, meter, sink).catch((error: unknown) => {
      throw error === sinkError ? new UploadSpoolError(error) : error;
    });
    return await use({ path, size, sha256: hash.digest('hex'), head });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The same for bytes already in memory (an asset fetched from a URL, a file the CLI read). */
export function withSpooledBytes<T>(dir: string, bytes: Uint8Array, use: (upload: SpooledUpload) => Promise<T>): Promise<T> {
  return withSpooledUpload(dir, Readable.from([bytes]), use);
}
