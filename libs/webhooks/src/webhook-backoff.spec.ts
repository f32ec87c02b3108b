import { WEBHOOK_BACKOFF_BASE_MS, WEBHOOK_BACKOFF_CAP_MS, webhookBackoff } from './webhook-backoff';

/** Evenly spread [0, 1) values (the golden-ratio sequence): deterministic stand-ins for Math.random. */
function evenlySpread(): () => number {
  let x = 0;
  return () => (x = (x + 0.6180339887498949) % 1);
}

describe('webhookBackoff', () => {
  it('doubles the ceiling per attempt from the base', () => {
    const justBelowOne = () => 0.999999;
    expect(webhookBackoff(1, justBelowOne)).toBe(Math.floor(0.999999 * WEBHOOK_BACKOFF_BASE_MS));
    expect(webhookBackoff(2, justBelowOne)).toBe(Math.floor(0.999999 * 2 * WEBHOOK_BACKOFF_BASE_MS));
    expect(webhookBackoff(4, justBelowOne)).toBe(Math.floor(0.999999 * 8 * WEBHOOK_BACKOFF_BASE_MS));
  });

  it('reaches the cap at attempt 11 (5 s x 2^10 > 1 h) and never exceeds it', () => {
    for (const attempt of [11, 12, 20, 50, 1000, Number.MAX_SAFE_INTEGER]) {
      const delay = webhookBackoff(attempt, () => 0.999999);
      expect(delay).toBeLessThan(WEBHOOK_BACKOFF_CAP_MS);
      expect(delay).toBeGreaterThan(WEBHOOK_BACKOFF_CAP_MS * 0.99);
    }
  });

  it('stays within [0, ceiling) and returns whole milliseconds', () => {
    const random = evenlySpread();
    for (let attempt = 1; attempt <= 15; attempt++) {
      const ceiling = Math.min(WEBHOOK_BACKOFF_CAP_MS, WEBHOOK_BACKOFF_BASE_MS * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = webhookBackoff(attempt, random);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads delays uniformly over [0, ceiling) (full jitter)', () => {
    const random = evenlySpread();
    const attempt = 3;
    const ceiling = WEBHOOK_BACKOFF_BASE_MS * 4;
    const bins = new Array<number>(10).fill(0);
    const samples = 20_000;
    for (let i = 0; i < samples; i++) bins[Math.floor((webhookBackoff(attempt, random) / ceiling) * 10)]++;
    // Each tenth holds about 10% of the draws; 1.5 points is more than six standard deviations.
    for (const count of bins) expect(Math.abs(count / samples - 0.1)).toBeLessThan(0.015);
  });

  it('treats attempt 0 and below as the first retry', () => {
    expect(webhookBackoff(0, () => 0.5)).toBe(webhookBackoff(1, () => 0.5));
    expect(webhookBackoff(-3, () => 0.5)).toBe(WEBHOOK_BACKOFF_BASE_MS / 2);
  });
});
