/**
 * RFC 9457 problem details for every error the gateway answers. `type` is `/docs/problems#<code>` (served by
 * the gateway itself, see docs-page.ts): FacexError codes from @facex/contracts plus the HTTP-only codes
 * below. `problemOf` maps anything thrown to a problem and never leaks a stack trace or an internal message.
 */
import { ERROR_CODES, FacexError } from '@facex/contracts';

export const PROBLEM_TYPE_BASE = '/docs/problems#';

/** Problems only the HTTP layer raises (the pipeline's own are ERROR_CODES). */
export const HTTP_PROBLEMS = {
  malformed_request: { status: 400, title: 'Malformed request' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  edit_not_completed: { status: 409, title: 'Edit has no result yet' },
  edit_already_finished: { status: 409, title: 'Edit already finished' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  result_expired: { status: 410, title: 'Result expired' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  json_too_deep: { status: 422, title: 'JSON nested too deeply' },
  invalid_request: { status: 422, title: 'Invalid request' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different request' },
  random_weights_refused: { status: 422, title: 'Model pack has random weights' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  not_ready: { status: 503, title: 'Not ready' },
} as const;

export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;
export type ProblemCode = HttpProblemCode | keyof typeof ERROR_CODES;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  /** The request field at fault (`options.webhookUrl`, `inputs[1].assetId`, `Idempotency-Key`). */
  field?: string;
  instance?: string;
}

export interface ProblemResponse {
  problem: Problem;
  headers: Record<string, string>;
}

/** An HTTP-layer error with its problem code; `headers` go out with the response (Retry-After…). */
export class ProblemError extends Error {
  constructor(
    readonly code: HttpProblemCode,
    message: string,
    readonly options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

/** Seconds a client should wait after a 503 (Redis or a dependency down). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function problem(code: ProblemCode, detail: string, field?: string): Problem {
  const spec = code in HTTP_PROBLEMS ? HTTP_PROBLEMS[code as HttpProblemCode] : ERROR_CODES[code as keyof typeof ERROR_CODES];
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title: spec.title, status: spec.status, detail, code, ...(field ? { field } : {}) };
}

/** ioredis fails commands this way while the server is unreachable (fail-fast connection, see gateway-redis). */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|Redis connection lost|Reached the max retries per request/.test(error.message);
}

/** Fastify's own error codes (body parsing, multipart limits) → problem codes. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'malformed_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
};

/** Maps anything thrown to a problem; `internal` (500) hides the message of unexpected errors. */
export function problemOf(error: unknown): ProblemResponse {
  if (error instanceof ProblemError) return { problem: problem(error.code, error.message, error.options.field), headers: error.options.headers ?? {} };
  if (error instanceof FacexError) {
    const field = typeof error.details['field'] === 'string' ? error.details['field'] : undefined;
    const headers: Record<string, string> = error.status === 503 ? { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } : {};
    return { problem: problem(error.code, error.message, field), headers };
  }
  if (isRedisUnavailable(error)) {
    return {
      problem: problem('unavailable', 'the job store is unreachable; retry shortly'),
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in FASTIFY_CODES) return { problem: problem(FASTIFY_CODES[code], (error as Error).message), headers: {} };
  // A JSON syntax error from Fastify's body parser carries statusCode 400 and no FST code.
  const statusCode = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (error as { status?: unknown } | null)?.status;
  if (error instanceof SyntaxError || statusCode === 400) return { problem: problem('malformed_request', 'the request body could not be parsed'), headers: {} };
  if (statusCode === 404) return { problem: problem('not_found', 'no such resource'), headers: {} };
  if (statusCode === 415) return { problem: problem('unsupported_media_type', (error as Error).message), headers: {} };
  if (statusCode === 414) return { problem: problem('uri_too_long', (error as Error).message), headers: {} };
  if (statusCode === 405) return { problem: problem('method_not_allowed', (error as Error).message), headers: {} };
  if (statusCode === 413) return { problem: problem('payload_too_large', (error as Error).message), headers: {} };
  return { problem: problem('internal', 'an unexpected error occurred'), headers: {} };
}

/** Every problem code with its status and title, for the documentation page and the OpenAPI document. */
export function problemCatalog(): Array<{ code: ProblemCode; status: number; title: string }> {
  return [...Object.entries(ERROR_CODES), ...Object.entries(HTTP_PROBLEMS)]
    .map(([code, spec]) => ({ code: code as ProblemCode, status: spec.status, title: spec.title }))
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}
