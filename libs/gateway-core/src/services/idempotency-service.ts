/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is stored; a retry with the
 * same key and the same body gets that response again; the same key with another body is a 422. Concurrent
 * duplicates: one claims the key atomically, the others wait for its response.
 */
import { createHash } from 'node:crypto';
import { assertValueDepth } from '../json/json-depth';
import { ProblemError } from '../problem/problem';
import { createLogger } from '@facex/logging';
import type { IdempotencyRepository, StoredResponse } from '../repositories/idempotency-repository';

const logger = createLogger('gateway');

export interface IdempotentResponse extends StoredResponse {
  /** True when this response is a replay of an earlier one. */
  replayed: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A stable digest of what makes two requests "the same": the route and the canonical body. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

/**
 * JSON with object keys sorted, so key order does not make two equal bodies differ. The depth is checked
 * first (iteratively), so the recursion below is bounded by MAX_JSON_DEPTH whatever the caller passes.
 */
export function canonicalJson(value: unknown): string {
  assertValueDepth(value);
  return canonical(value);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly ttlSeconds: number,
    private readonly waitMs = 15_000,
    private readonly pollMs = 50,
  ) {}

  /** The TTL of a pending claim, seconds. */
  pendingTtlSeconds(): number {
    return Math.max(1, Math.ceil(this.waitMs / 1000));
  }

  async run(tenant: string, key: string | undefined, fingerprint: string, produce: () => Promise<StoredResponse>): Promise<IdempotentResponse> {
    if (key === undefined) return { ...(await produce()), replayed: false };
    if (!KEY_PATTERN.test(key))
      throw new ProblemError('invalid_request', 'Idempotency-Key: expected 1 to 255 visible ASCII characters', { field: 'Idempotency-Key' });
    // A duplicate waits out a whole pending claim (its TTL rounds the wait up to seconds) plus one poll, so a claim
    // left by a request that died is always seen expired before the duplicate gives up with 409.
    const deadline = Date.now() + this.pendingTtlSeconds() * 1000 + this.pollMs;
    for (;;) {
      // A claim lives only as long as a duplicate would wait for it: if its request dies with Redis (so the
      // release below cannot run), the key is free again soon instead of answering 409 for a day.
      const existing = await this.records.claim(tenant, key, fingerprint, this.pendingTtlSeconds());
      if (existing === null) return this.produceAndStore(tenant, key, fingerprint, produce);
      if (existing.fingerprint !== fingerprint) {
        throw new ProblemError('idempotency_key_reused', 'this Idempotency-Key was used with a different request', { field: 'Idempotency-Key' });
      }
      if (existing.state === 'done') return { ...existing.response, replayed: true };
      if (Date.now() >= deadline) {
        throw new ProblemError('idempotency_in_progress', 'the first request with this Idempotency-Key has not finished yet', {
          headers: { 'retry-after': '1' },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async produceAndStore(tenant: string, key: string, fingerprint: string, produce: () => Promise<StoredResponse>): Promise<IdempotentResponse> {
    let response: StoredResponse;
    try {
      response = await produce();
    } catch (error) {
      // A failed request stores nothing: the client may retry it with the same key.
      // Releasing is best effort (the claim also expires); the request's own error is what the client needs.
      await this.records
        .release(tenant, key)
        .catch((releaseError: unknown) => logger.warn({ err: releaseError, tenant }, "idempotency: could not release a failed request's key"));
      throw error;
    }
    await this.records.complete(tenant, key, fingerprint, response, this.ttlSeconds);
    return { ...response, replayed: false };
  }
}
