/** How one delivery attempt ended, and what the queue should do about it. */
export type DeliveryVerdict = 'delivered' | 'failed_permanently' | 'retryable';

export interface DeliveryOutcome {
  readonly verdict: DeliveryVerdict;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** Why, in a few words: `HTTP 503`, `timeout`, `url_not_allowed`... */
  readonly reason: string;
  readonly durationMs: number;
}

/**
 * 2xx: delivered. Redirects are never followed (the target would escape the endpoint the tenant registered),
 * so a 3xx will not improve either. 408 (timeout) and 429 (rate limited) are the receiver asking us to come
 * back; other 4xx mean the request itself is unwelcome (gone, unauthorised). 5xx may pass: retried.
 */
export function classifyResponseStatus(status: number): DeliveryVerdict {
  if (status >= 200 && status <= 299) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'failed_permanently';
}
