import IORedis, { type RedisOptions } from 'ioredis';

/**
 * A connection to a Sentinel deployment that lets go of its failover detector when it ends. ioredis only stops
 * the detector's subscriptions to the sentinels in `disconnect()`; a connection closed with `quit()` (ours, and
 * every one BullMQ closes, including the blocking connections it duplicates from ours) would keep them, and
 * their reconnect timers, for the life of the process. Duplicates are of this class too.
 */
export class SentinelRedis extends IORedis {
  constructor(options: RedisOptions) {
    super(options);
    // Once ended, disconnect() only reaches the connector, whose disconnect cleans up the detector.
    this.once('end', () => this.disconnect());
  }

  override duplicate(override?: Partial<RedisOptions>): SentinelRedis {
    return new SentinelRedis({ ...this.options, ...override });
  }
}
