import { DEFAULT_RETRY, editRetryFromEnv, jobOptions } from './queues';
import { recoveryBoundMs, workerTimingFromEnv } from './worker';

describe('worker timings from the environment', () => {
  it('reads lock, stall interval and stall count, leaving unset ones to the defaults', () => {
    expect(workerTimingFromEnv({ WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' })).toEqual({
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
    });
    expect(workerTimingFromEnv({ WORKER_MAX_STALLED_COUNT: '3' })).toEqual({ maxStalledCount: 3 });
    expect(workerTimingFromEnv({})).toEqual({});
  });

  it('refuses a value that is not a positive integer, naming the variable', () => {
    expect(() => workerTimingFromEnv({ WORKER_LOCK_DURATION_MS: '2s' })).toThrow(/WORKER_LOCK_DURATION_MS/);
    expect(() => workerTimingFromEnv({ WORKER_STALLED_INTERVAL_MS: '0' })).toThrow(/WORKER_STALLED_INTERVAL_MS/);
  });

  it('bounds recovery after a crash by the lock plus two stalled-job intervals (the check is shared by the workers), 25 s by default', () => {
    expect(recoveryBoundMs({ lockDurationMs: 2000, stalledIntervalMs: 1000 })).toBe(4000);
    expect(recoveryBoundMs()).toBe(25_000);
  });
});

describe('edit retry policy from the environment', () => {
  it('overrides attempts and backoff of the edit stages only', () => {
    const env = { EDIT_RETRY_ATTEMPTS: '5', EDIT_RETRY_BACKOFF_MS: '100' };
    expect(editRetryFromEnv('extract', env)).toEqual({ attempts: 5, backoffMs: 100 });
    expect(editRetryFromEnv('render', { EDIT_RETRY_BACKOFF_MS: '100' })).toEqual({ attempts: DEFAULT_RETRY.render.attempts, backoffMs: 100 });
    expect(editRetryFromEnv('webhook', env)).toEqual(DEFAULT_RETRY.webhook);
  });

  it('puts the policy into the job options, an explicit policy winning over the environment', () => {
    const env = { EDIT_RETRY_ATTEMPTS: '5', EDIT_RETRY_BACKOFF_MS: '100' };
    expect(jobOptions('assemble', {}, env)).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 100 } });
    expect(jobOptions('assemble', { assemble: { attempts: 2, backoffMs: 20 } }, env)).toMatchObject({ attempts: 2, backoff: { delay: 20 } });
  });
});
