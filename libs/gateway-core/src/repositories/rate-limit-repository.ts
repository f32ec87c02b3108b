/**
 * Token buckets in Redis, one per API key, taken in one round trip (a Lua script reading Redis' own clock, so
 * every gateway replica agrees). A bucket holds `burst` tokens and refills `perSecond`; it expires when full.
 */
import type { Redis } from 'ioredis';
import type { RateLimitSettings } from '../config/gateway-config';

const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
local msToFull = math.ceil((burst - tokens) * 1000 / rate)
redis.call('PEXPIRE', KEYS[1], math.max(msToFull, 1000))
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

export class RateLimitRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async take(tenant: string, settings: RateLimitSettings): Promise<RateLimitDecision> {
    const [allowed, remaining, retryAfterMs, resetMs] = (await this.redis.eval(
      TAKE_SCRIPT,
      1,
      `${this.keyPrefix}ratelimit:${tenant}`,
      settings.burst,
      settings.perSecond,
    )) as [number, number, number, number];
    return { allowed: allowed === 1, limit: settings.burst, remaining, retryAfterMs, resetMs };
  }
}
