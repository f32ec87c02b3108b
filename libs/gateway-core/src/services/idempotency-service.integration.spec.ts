import { createHash } from 'node:crypto';
import IORedis from 'ioredis';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { IdempotencyRepository } from '../repositories/idempotency-repository';
import { canonicalJson, IdempotencyService, requestFingerprint } from './idempotency-service';
import { MAX_JSON_DEPTH } from '../json/json-depth';

describe('requestFingerprint', () => {
  it('ignores key order but not values', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestFingerprint('POST /v1/edits', { a: 1, b: 2 })).toBe(requestFingerprint('POST /v1/edits', { b: 2, a: 1 }));
    expect(requestFingerprint('POST /v1/edits', { a: 1 })).not.toBe(requestFingerprint('POST /v1/edits', { a: 2 }));
  });
});

describe('canonicalJson depth', () => {
  it('refuses values nested past MAX_JSON_DEPTH with a 422 problem instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(expect.objectContaining({ code: 'json_too_deep' }));
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { a: ok };
    expect(canonicalJson(ok)).toMatch(/^\{"a":/);
  });
});

describe('IdempotencyService (real Redis)', () => {
  const redis = new IORedis(TEST_REDIS_URL);
  const prefix = testPrefix('idem');
  const service = new IdempotencyService(new IdempotencyRepository(redis, `${prefix}:`), 60, 2_000, 10);

  afterAll(async () => {
    await deleteNamespace(redis, prefix);
    await redis.quit();
  });

  it('runs concurrent duplicates once and replays the response to the others', async () => {
    let runs = 0;
    const produce = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { status: 201, body: { id: `ed_${runs}` }, headers: {} };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => service.run('t1', 'k1', 'fp', produce)));
    expect(runs).toBe(1);
    expect(results.map((result) => (result.body as { id: string }).id)).toEqual(Array(5).fill('ed_1'));
    expect(results.filter((result) => result.replayed)).toHaveLength(4);
  });

  it('lets a failed first request be retried with the same key', async () => {
    await expect(service.run('t1', 'k2', 'fp', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(service.run('t1', 'k2', 'fp', async () => ({ status: 201, body: 'ok', headers: {} }))).resolves.toMatchObject({ body: 'ok', replayed: false });
  });

  it('frees a claim whose request died without releasing it (Redis lost mid-request) after the wait, not after the record TTL', async () => {
    const repository = new IdempotencyRepository(redis, `${prefix}:`);
    // What a request that lost Redis between its claim and its release leaves behind.
    expect(await repository.claim('t1', 'k4', 'fp', service.pendingTtlSeconds())).toBeNull();
    await expect(service.run('t1', 'k4', 'fp', async () => ({ status: 201, body: 'late', headers: {} }))).resolves.toMatchObject({
      body: 'late',
      replayed: false,
    });
    expect(await redis.ttl(`${prefix}:idem:t1:${createHash('sha256').update('k4').digest('hex')}`)).toBeGreaterThan(30);
  });

  it('scopes keys per tenant and refuses a reused key with another request', async () => {
    await service.run('t1', 'k3', 'fp-a', async () => ({ status: 201, body: 'a', headers: {} }));
    await expect(service.run('t2', 'k3', 'fp-b', async () => ({ status: 201, body: 'b', headers: {} }))).resolves.toMatchObject({ body: 'b' });
    await expect(service.run('t1', 'k3', 'fp-b', async () => ({ status: 201, body: 'b', headers: {} }))).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
  });
});
