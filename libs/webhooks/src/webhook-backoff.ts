/**
 * Retry delays for webhook deliveries: exponential with full jitter (a uniform draw in [0, ceiling)), so
 * receivers recovering from an outage are not hit by every queued retry at once.
 */

/** The ceiling of the first retry's delay. */
export const WEBHOOK_BACKOFF_BASE_MS = 5_000;
/** No retry waits longer than this, however many attempts failed. */
export const WEBHOOK_BACKOFF_CAP_MS = 60 * 60_000;

/**
 * The delay before retry number `attempt` (1 = the first retry, as BullMQ's `attemptsMade`):
 * `random() * min(cap, base * 2^(attempt - 1))`, in whole milliseconds. `random` returns [0, 1).
 */
export function webhookBackoff(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // Past 2^20 the cap has long won; clamping keeps the arithmetic finite for absurd attempt counts.
  const ceiling = Math.min(WEBHOOK_BACKOFF_CAP_MS, WEBHOOK_BACKOFF_BASE_MS * 2 ** Math.min(exponent, 20));
  return Math.floor(random() * ceiling);
}
