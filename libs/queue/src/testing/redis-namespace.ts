/** Tests: a Redis key namespace of their own, removed afterwards (never FLUSHALL: Redis is shared). */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function testPrefix(name: string): string {
  return `facex-test-${name}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix`. */
export async function deleteNamespace(redis: Redis, prefix: string): Promise<number> {
  let removed = 0;
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
    if ((keys as string[]).length > 0) removed += await redis.del(...(keys as string[]));
  }
  return removed;
}
