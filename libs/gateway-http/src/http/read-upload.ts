/** Reads the one `file` part of a multipart upload, up to `maxBytes`; malformed bodies are a 400, not a 500. */
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@facex/gateway-core';

const COUNT_LIMITS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

export async function readUploadedFile(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });
    if (!file) throw new ProblemError('invalid_request', 'file: the multipart body has no file part', { field: 'file' });
    return await file.toBuffer();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && COUNT_LIMITS.has(code)) {
      throw new ProblemError('invalid_request', 'file: send exactly one file part and no other fields', { field: 'file' });
    }
    // Size limits (FST_REQ_FILE_TOO_LARGE) and our own problems keep their meaning; the rest is a broken body.
    if (error instanceof ProblemError || (typeof code === 'string' && code.startsWith('FST_'))) throw error;
    throw new ProblemError('malformed_request', `the multipart body is malformed (${error instanceof Error ? error.message : String(error)})`);
  }
}
