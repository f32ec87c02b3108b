import type { Redis } from 'ioredis';
import { connectRedis } from '@facex/queue';

/**
 * The gateway's Redis connection: fail fast. While Redis is unreachable every command errors at once (no
 * offline queue, one try), so a request answers 503 instead of hanging; ioredis keeps reconnecting in the
 * background and the gateway recovers by itself. Workers use @facex/queue createRedis (commands wait).
 */
export function createGatewayRedis(url: string): Redis {
  return connectRedis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // The ready check's INFO would itself be refused without an offline queue; the connection is usable on connect.
    enableReadyCheck: false,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
