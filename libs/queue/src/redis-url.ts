/**
 * REDIS_URL as ioredis options. Besides `redis://` and `rediss://` URLs, a Sentinel deployment is named by
 * `redis+sentinel://[:password@]host1:26379,host2:26379,host3:26379/<master name>[?db=N&sentinelPassword=…]`:
 * ioredis asks the sentinels for the current master, reconnects to the new one after a failover
 * (`failoverDetector` subscribes to +switch-master), and the password, if any, is the master's.
 */
import type { RedisOptions } from 'ioredis';

export type RedisTarget = { url: string } | { options: RedisOptions };

const SENTINEL_SCHEME = 'redis+sentinel:';

export function redisTarget(url: string): RedisTarget {
  if (!url.startsWith(`${SENTINEL_SCHEME}//`)) return { url };
  const rest = url.slice(SENTINEL_SCHEME.length + 2);
  const at = rest.lastIndexOf('@', rest.indexOf('/') === -1 ? rest.length : rest.indexOf('/'));
  const auth = at === -1 ? '' : rest.slice(0, at);
  const [hostsAndName, query = ''] = rest.slice(at + 1).split('?');
  const slash = hostsAndName.indexOf('/');
  const name = slash === -1 ? '' : decodeURIComponent(hostsAndName.slice(slash + 1));
  const hosts = (slash === -1 ? hostsAndName : hostsAndName.slice(0, slash)).split(',').filter(Boolean);
  if (!name || hosts.length === 0) throw new Error(`REDIS_URL: expected redis+sentinel://host:port[,host:port…]/<master name>, got '${url}'`);
  const sentinels = hosts.map((entry) => {
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry);
    if (!match) throw new Error(`REDIS_URL: '${entry}' is not host[:port]`);
    return { host: match[1], port: Number(match[2] ?? 26379) };
  });
  const params = new URLSearchParams(query);
  const password = auth.includes(':') ? decodeURIComponent(auth.slice(auth.indexOf(':') + 1)) : auth ? decodeURIComponent(auth) : undefined;
  const db = params.get('db');
  return {
    options: {
      sentinels,
      name,
      failoverDetector: true,
      ...(password ? { password } : {}),
      ...(params.get('sentinelPassword') ? { sentinelPassword: params.get('sentinelPassword') as string } : {}),
      ...(db ? { db: Number(db) } : {}),
    },
  };
}
