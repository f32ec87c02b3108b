import { join } from 'node:path';
import { FacexError } from '@facex/contracts';
import type { EchoRequest } from './testing/echo-task';
import { WorkerPool } from './worker-pool';

const entry = join(__dirname, 'testing/echo-task.ts');

describe('WorkerPool', () => {
  let pool: WorkerPool<EchoRequest, Float32Array>;
  beforeAll(async () => {
    pool = await WorkerPool.start({ entry, options: { offset: 1 }, size: 2, maxQueue: 4 });
  });
  afterAll(() => pool.close());

  it('runs tasks in worker threads with the start-up options', async () => {
    const result = await pool.run({ values: Float32Array.from([1, 2, 3]) });
    expect(Array.from(result)).toEqual([3, 5, 7]);
  });

  it('moves typed-array buffers into the worker instead of copying them', async () => {
    const values = new Float32Array(1024);
    await pool.run({ values });
    expect(values.byteLength).toBe(0);
  });

  it('rebuilds typed errors from the worker and keeps plain errors plain', async () => {
    await expect(pool.run({ values: new Float32Array(1), fail: 'typed' })).rejects.toMatchObject({ code: 'no_face' });
    const plain = await pool.run({ values: new Float32Array(1), fail: 'plain' }).catch((e) => e);
    expect(plain).not.toBeInstanceOf(FacexError);
    expect(plain.message).toBe('plain failure');
  });

  it('fails only the task whose worker died and replaces the worker', async () => {
    const crashed = pool.run({ values: new Float32Array(1), fail: 'exit' });
    const healthy = pool.run({ values: Float32Array.from([5]), delayMs: 20 });
    await expect(crashed).rejects.toMatchObject({ code: 'unavailable' });
    expect(Array.from(await healthy)).toEqual([11]);
    const afterwards = await Promise.all([1, 2, 3].map((v) => pool.run({ values: Float32Array.from([v]) })));
    expect(afterwards.map((r) => r[0])).toEqual([3, 5, 7]);
  });

  it('refuses work beyond the queue bound instead of buffering without limit', async () => {
    const bounded = await WorkerPool.start<EchoRequest, Float32Array, { offset: number }>({ entry, options: { offset: 0 }, size: 2, maxQueue: 4 });
    const tasks = Array.from({ length: 8 }, () => bounded.run({ values: new Float32Array(1), delayMs: 50 }).then(() => 'ok', (e) => e.code));
    const outcomes = await Promise.all(tasks);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(6);
    expect(outcomes.filter((o) => o === 'unavailable')).toHaveLength(2);
    await bounded.close();
  });

  it('reports a worker whose handler cannot start', async () => {
    await expect(WorkerPool.start({ entry: join(__dirname, 'missing-task.ts'), options: {}, size: 1, maxQueue: 1 })).rejects.toThrow();
  });
});
