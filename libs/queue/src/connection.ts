import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import { redisTarget } from './redis-url';
import { SentinelRedis } from './sentinel-redis';

/**
 * A Redis connection for BullMQ and the repositories. BullMQ needs `maxRetriesPerRequest: null` on worker
 * connections (blocking commands must wait through reconnects). Operators: run Redis with
 * `maxmemory-policy noeviction`; an evicting policy silently drops job and lock keys.
 */
export function createRedis(url: string): Redis {
  return connectRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** A connection to REDIS_URL: a plain URL or a Sentinel deployment (see redis-url.ts). */
export function connectRedis(url: string, options: RedisOptions): Redis {
  const target = redisTarget(url);
  return 'url' in target ? new IORedis(target.url, options) : new SentinelRedis({ ...target.options, ...options });
}
