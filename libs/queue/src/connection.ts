import IORedis, { type Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ and the repositories. BullMQ needs `maxRetriesPerRequest: null` on worker
 * connections (blocking commands must wait through reconnects). Operators: run Redis with
 * `maxmemory-policy noeviction`; an evicting policy silently drops job and lock keys.
 */
export function createRedis(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
