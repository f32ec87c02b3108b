/**
 * Idempotency records in Redis: `<prefix>:idem:<tenant>:<sha256(key)>` holds JSON, claimed with SET NX and a
 * TTL so exactly one of several concurrent duplicates runs the request; the others read the record.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyRecord = { state: 'pending'; fingerprint: string } | { state: 'done'; fingerprint: string; response: StoredResponse };

/** Deletes the record only while it is still pending (a finished one must stay for replays). */
const RELEASE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw)['state'] == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0`;

export class IdempotencyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(tenant: string, idempotencyKey: string): string {
    return `${this.keyPrefix}idem:${tenant}:${createHash('sha256').update(idempotencyKey).digest('hex')}`;
  }

  /** Claims the key for this request: null when claimed, else the record another request left. */
  async claim(tenant: string, idempotencyKey: string, fingerprint: string, ttlSeconds: number): Promise<IdempotencyRecord | null> {
    const key = this.key(tenant, idempotencyKey);
    const pending: IdempotencyRecord = { state: 'pending', fingerprint };
    if ((await this.redis.set(key, JSON.stringify(pending), 'EX', ttlSeconds, 'NX')) === 'OK') return null;
    const raw = await this.redis.get(key);
    // Expired or released between the two calls: claim again.
    return raw === null ? this.claim(tenant, idempotencyKey, fingerprint, ttlSeconds) : (JSON.parse(raw) as IdempotencyRecord);
  }

  async complete(tenant: string, idempotencyKey: string, fingerprint: string, response: StoredResponse, ttlSeconds: number): Promise<void> {
    const record: IdempotencyRecord = { state: 'done', fingerprint, response };
    await this.redis.set(this.key(tenant, idempotencyKey), JSON.stringify(record), 'EX', ttlSeconds);
  }

  async release(tenant: string, idempotencyKey: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key(tenant, idempotencyKey));
  }
}
