/**
 * Token buckets in Redis, one per API key, taken in one round trip (a Lua script reading Redis' own clock, so
 * every gateway replica agrees). A bucket holds `burst` tokens and refills `perSecond`; it expires when full.
 * The bucket is one string "tokens:at" written with its expiry in a single SET, and the script is sent by
 * SHA (EVALSHA): every request takes one, so both its Redis commands and its bytes on the wire count.
 */
import type { Redis } from 'ioredis';
import type { RateLimitSettings } from '../config/gateway-config';

const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('GET', KEYS[1])
local tokens = burst
local at = now
if state then
  local sep = string.find(state, ':', 1, true)
  tokens = tonumber(string.sub(state, 1, sep - 1))
  at = tonumber(string.sub(state, sep + 1))
end
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local msToFull = math.ceil((burst - tokens) * 1000 / rate)
redis.call('SET', KEYS[1], tostring(tokens) .. ':' .. now, 'PX', math.max(msToFull, 1000))
local retryMs = 0
if allowed == 0 then retryMs = math.ceil((1 - tokens) * 1000 / rate) end
return { allowed, math.floor(tokens), retryMs, msToFull }`;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When refused: how long until one token is back. */
  retryAfterMs: number;
  /** How long until the bucket is full again. */
  resetMs: number;
}

type TakeToken = (key: string, burst: number, perSecond: number) => Promise<[number, number, number, number]>;

export class RateLimitRepository {
  private readonly takeToken: TakeToken;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once after a SCRIPT FLUSH or a failover.
    if (!('facexTakeToken' in redis)) redis.defineCommand('facexTakeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    const command = (redis as unknown as { facexTakeToken: TakeToken }).facexTakeToken;
    this.takeToken = command.bind(redis);
  }

  async take(tenant: string, settings: RateLimitSettings): Promise<RateLimitDecision> {
    // `rl:` and not the hash-typed `ratelimit:` of earlier releases, so a rolling upgrade meets no WRONGTYPE.
    const [allowed, remaining, retryAfterMs, resetMs] = await this.takeToken(`${this.keyPrefix}rl:${tenant}`, settings.burst, settings.perSecond);
    return { allowed: allowed === 1, limit: settings.burst, remaining, retryAfterMs, resetMs };
  }
}
