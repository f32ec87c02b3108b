import IORedis from 'ioredis';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { RateLimitRepository } from './rate-limit-repository';

const redis = new IORedis(TEST_REDIS_URL);
const prefix = testPrefix('rate-limit');
const repository = new RateLimitRepository(redis, `${prefix}:`);

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
});

describe('RateLimitRepository', () => {
  it('allows a burst, then refuses with the time until a token is back', async () => {
    const settings = { burst: 3, perSecond: 1 };
    const decisions = [];
    const started = Date.now();
    for (let i = 0; i < 4; i++) decisions.push(await repository.take('burst', settings));
    const elapsed = Date.now() - started;
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    // A token a second: the refusal waits for what has not refilled since the first take (Redis's clock, so a few
    // ms of slack), however slowly the four takes went.
    expect(decisions[3].retryAfterMs).toBeGreaterThanOrEqual(1000 - elapsed - 20);
    expect(decisions[3].retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('refills at the sustained rate and lets the bucket expire once it would be full', async () => {
    const settings = { burst: 2, perSecond: 50 };
    await repository.take('refill', settings);
    await repository.take('refill', settings);
    expect((await repository.take('refill', settings)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await repository.take('refill', settings)).allowed).toBe(true);
    const ttl = await redis.pttl(`${prefix}:rl:refill`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1000);
  });

  it('keeps separate buckets per key and works again after Redis forgets its scripts', async () => {
    const settings = { burst: 1, perSecond: 0.001 };
    expect((await repository.take('a', settings)).allowed).toBe(true);
    await redis.script('FLUSH');
    expect((await repository.take('b', settings)).allowed).toBe(true);
    expect((await repository.take('a', settings)).allowed).toBe(false);
  });
});
