/**
 * A fetch that retries what the gateway asks to retry: 429 (rate limited) and 503 (job store unavailable),
 * waiting `Retry-After` when the answer has one and exponential backoff with full jitter otherwise. A network
 * failure is retried only when repeating the request cannot do anything twice: GET/HEAD/DELETE, or a POST that
 * carries an Idempotency-Key (the gateway replays the first answer).
 */
import { retryAfterSeconds } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 4). 0 disables retrying. */
  retries?: number;
  /** First backoff in ms without Retry-After (default 250), doubled per attempt. */
  baseDelayMs?: number;
  /** Longest wait in ms, Retry-After included (default 30 000); a longer Retry-After ends the retries. */
  maxDelayMs?: number;
}

export type Sleep = (ms: number, signal?: AbortSignal | null) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const RETRIED_STATUSES = new Set([429, 503]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** The wait before retry number `attempt` (0-based) of an answer, or null to stop retrying. */
export function retryDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
): number | null {
  if (attempt >= options.retries) return null;
  if (retryAfterSeconds !== undefined) {
    const ms = retryAfterSeconds * 1000;
    return ms > options.maxDelayMs ? null : ms;
  }
  return Math.round(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt));
}

export function withRetries(
  fetchImpl: (request: Request) => Promise<Response>,
  options: RetryOptions = {},
  wait: Sleep = sleep,
): (request: Request) => Promise<Response> {
  const settings: Required<RetryOptions> = { retries: options.retries ?? 4, baseDelayMs: options.baseDelayMs ?? 250, maxDelayMs: options.maxDelayMs ?? 30_000 };
  return async (request) => {
    const repeatable = SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 0; ; attempt++) {
      // Each attempt sends a copy: a body can be read once.
      const copy = request.clone();
      let response: Response;
      try {
        response = await fetchImpl(copy);
      } catch (error) {
        const delay = repeatable && !request.signal.aborted ? retryDelayMs(attempt, undefined, settings) : null;
        if (delay === null) throw error;
        await wait(delay, request.signal);
        continue;
      }
      if (!RETRIED_STATUSES.has(response.status)) return response;
      const delay = retryDelayMs(attempt, retryAfterSeconds(response.headers), settings);
      if (delay === null) return response;
      // Free the connection before waiting.
      await response.body?.cancel().catch(() => undefined);
      await wait(delay, request.signal);
    }
  };
}
