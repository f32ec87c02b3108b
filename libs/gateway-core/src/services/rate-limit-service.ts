/** Per-key rate limiting: a token bucket per key, and the RateLimit headers every response carries. */
import type { RateLimitSettings } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { RateLimitDecision, RateLimitRepository } from '../repositories/rate-limit-repository';

/** The `RateLimit-*` headers (IETF draft fields, seconds). */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(Math.ceil(decision.resetMs / 1000)),
  };
}

export class RateLimitService {
  constructor(
    private readonly buckets: RateLimitRepository,
    private readonly settings: RateLimitSettings,
  ) {}

  /** Takes one token; the headers to send, or ProblemError('rate_limited') with Retry-After when empty. */
  async take(tenant: string): Promise<Record<string, string>> {
    const decision = await this.buckets.take(tenant, this.settings);
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      const retryAfter = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
      throw new ProblemError('rate_limited', `rate limit of ${this.settings.burst} requests (refilled ${this.settings.perSecond}/s) exceeded`, {
        headers: { ...headers, 'retry-after': retryAfter },
      });
    }
    return headers;
  }
}
