/**
 * Typed errors shared by every library. `code` is stable and machine-readable; the gateway maps it to an
 * RFC 9457 problem type and `status`. `retryable` tells job runners whether a retry can help (bad input never).
 */
export const ERROR_CODES = {
  not_an_image: { status: 415, retryable: false, title: 'Not an image' },
  corrupt_image: { status: 422, retryable: false, title: 'Corrupt or truncated image' },
  image_too_large: { status: 413, retryable: false, title: 'Image too large' },
  no_face: { status: 422, retryable: false, title: 'No face found' },
  face_index_out_of_range: { status: 422, retryable: false, title: 'Face index out of range' },
  not_a_video: { status: 415, retryable: false, title: 'Not a supported video' },
  corrupt_video: { status: 422, retryable: false, title: 'Corrupt or unreadable video' },
  video_too_large: { status: 413, retryable: false, title: 'Video too large' },
  invalid_recipe: { status: 422, retryable: false, title: 'Invalid recipe' },
  invalid_representation: { status: 422, retryable: false, title: 'Invalid representation' },
  model_pack_invalid: { status: 500, retryable: false, title: 'Model pack invalid' },
  unavailable: { status: 503, retryable: true, title: 'Service unavailable' },
  url_not_allowed: { status: 422, retryable: false, title: 'URL not allowed' },
  /**
   * The URL's host has no DNS record: the client's mistake (422), unlike a server that fails to answer (502).
   * Retryable for deliveries that retry (webhooks): the name may be registered, or its DNS recover, later.
   */
  url_unresolvable: { status: 422, retryable: true, title: 'URL host does not resolve' },
  url_fetch_failed: { status: 502, retryable: true, title: 'URL fetch failed' },
  url_fetch_timeout: { status: 504, retryable: true, title: 'URL fetch timed out' },
  payload_too_large: { status: 413, retryable: false, title: 'Payload too large' },
  invalid_webhook_secret: { status: 422, retryable: false, title: 'Invalid webhook secret' },
  webhook_delivery_failed: { status: 502, retryable: true, title: 'Webhook delivery failed' },
  /** A job's payload does not match its schema: a fault of the service that queued it, never retried. */
  invalid_job_payload: { status: 500, retryable: false, title: 'Invalid job payload' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class FacexError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable detail, e.g. `{ field: 'inputs[2]' }` or `{ limit: 50_000_000 }`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FacexError';
    const spec = ERROR_CODES[code];
    this.status = spec.status;
    this.retryable = spec.retryable;
    this.title = spec.title;
  }
}

export function isFacexError(error: unknown, code?: ErrorCode): error is FacexError {
  return error instanceof FacexError && (code === undefined || error.code === code);
}

/** `['steps', 1, 'components', 'hair']` → `steps[1].components.hair`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
