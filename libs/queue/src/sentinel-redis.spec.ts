import { once } from 'node:events';
import { SentinelRedis } from './sentinel-redis';

/** ioredis's connector keeps the failover detector (its sentinel subscriptions) in a private field. */
interface WithConnector {
  connector: { failoverDetector: { cleanup: () => void } | null };
}

function lazySentinelClient(): SentinelRedis {
  return new SentinelRedis({ sentinels: [{ host: '127.0.0.1', port: 1 }], name: 'facex', lazyConnect: true });
}

describe('SentinelRedis', () => {
  it('cleans up the failover detector when the connection ends, as after quit()', async () => {
    const client = lazySentinelClient();
    const cleanup = jest.fn();
    (client as unknown as WithConnector).connector.failoverDetector = { cleanup };
    // Closing a connection that never connected ends it through the close handler, the path quit() takes:
    // ioredis itself does not reach the connector there.
    const ended = once(client, 'end');
    client.disconnect();
    await ended;
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it('duplicates into connections that clean up the same way (BullMQ duplicates for blocking commands)', async () => {
    const copy = lazySentinelClient().duplicate({ connectionName: 'blocking' });
    expect(copy).toBeInstanceOf(SentinelRedis);
    expect(copy.options.connectionName).toBe('blocking');
    const cleanup = jest.fn();
    (copy as unknown as WithConnector).connector.failoverDetector = { cleanup };
    const ended = once(copy, 'end');
    copy.disconnect();
    await ended;
    expect(cleanup).toHaveBeenCalledTimes(1);
  });
});
