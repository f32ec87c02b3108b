import IORedis from 'ioredis';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { IdempotencyRepository } from '../repositories/idempotency-repository';
import { canonicalJson, IdempotencyService, requestFingerprint } from './idempotency-service';

describe('requestFingerprint', () => {
  it('ignores key order but not values', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(requestFingerprint('POST /v1/edits', { a: 1, b: 2 })).toBe(requestFingerprint('POST /v1/edits', { b: 2, a: 1 }));
    expect(requestFingerprint('POST /v1/edits', { a: 1 })).not.toBe(requestFingerprint('POST /v1/edits', { a: 2 }));
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

  it('scopes keys per tenant and refuses a reused key with another request', async () => {
    await service.run('t1', 'k3', 'fp-a', async () => ({ status: 201, body: 'a', headers: {} }));
    await expect(service.run('t2', 'k3', 'fp-b', async () => ({ status: 201, body: 'b', headers: {} }))).resolves.toMatchObject({ body: 'b' });
    await expect(service.run('t1', 'k3', 'fp-b', async () => ({ status: 201, body: 'b', headers: {} }))).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });
});
