/**
 * Receives the one `file` part of a multipart upload, up to `maxBytes`, spooled to a temporary file as it
 * arrives (withSpooledUpload): over the limit it is refused (413) at the byte that crosses it. Malformed bodies
 * are a 400, not a 500.
 */
import type { FastifyRequest } from 'fastify';
import { FacexError } from '@facex/contracts';
import { ProblemError, UploadSpoolError, withSpooledUpload, type SpooledUpload } from '@facex/gateway-core';

const COUNT_LIMITS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

export async function withUploadedFile<T>(request: FastifyRequest, maxBytes: number, dir: string, use: (upload: SpooledUpload) => Promise<T>): Promise<T> {
  let storing = false;
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });
    if (!file) throw new ProblemError('invalid_request', 'file: the multipart body has no file part', { field: 'file' });
    // The part is cut at the limit (busboy truncates it): failing the stream there stops the spooling at once.
    file.file.once('limit', () => {
      file.file.destroy(new FacexError('payload_too_large', `file: the upload is larger than ${maxBytes} bytes`, { field: 'file' }));
    });
    return await withSpooledUpload(dir, file.file, (upload) => {
      storing = true;
      return use(upload);
    });
  } catch (error) {
    // The spool's own failures (a full disk) are the server's, not the body's: a 500, logged.
    if (storing || error instanceof UploadSpoolError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && COUNT_LIMITS.has(code)) {
      throw new ProblemError('invalid_request', 'file: send exactly one file part and no other fields', { field: 'file' });
    }
    // Size limits and our own problems keep their meaning; the rest is a broken body.
    if (error instanceof ProblemError || error instanceof FacexError || (typeof code === 'string' && code.startsWith('FST_'))) throw error;
    throw new ProblemError('malformed_request', `the multipart body is malformed (${error instanceof Error ? error.message : String(error)})`);
  }
}
