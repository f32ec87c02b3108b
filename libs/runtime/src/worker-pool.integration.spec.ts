import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FacexError } from '@facex/contracts';
import type { EchoOptions, EchoRequest } from './testing/echo-task';
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
    const tasks = Array.from({ length: 8 }, () =>
      bounded.run({ values: new Float32Array(1), delayMs: 50 }).then(
        () => 'ok',
        (e) => e.code,
      ),
    );
    const outcomes = await Promise.all(tasks);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(6);
    expect(outcomes.filter((o) => o === 'unavailable')).toHaveLength(2);
    await bounded.close();
  });

  it('reports a worker whose handler cannot start', async () => {
    await expect(WorkerPool.start({ entry: join(__dirname, 'missing-task.ts'), options: {}, size: 1, maxQueue: 1 })).rejects.toThrow();
  });

  it('terminates every thread it started on close, a replacement still starting included', async () => {
    const errors: Error[] = [];
    const crashing = await WorkerPool.start<EchoRequest, Float32Array, EchoOptions>({
      entry,
      options: { offset: 0 },
      size: 1,
      maxQueue: 1,
      onWorkerError: (e) => errors.push(e),
    });
    await expect(crashing.run({ values: new Float32Array(1), fail: 'exit' })).rejects.toMatchObject({ code: 'unavailable' });
    // The replacement is starting now (it takes far longer than this tick to load the TypeScript entry).
    expect(crashing.threadCount).toBe(1);
    await crashing.close();
    expect(crashing.threadCount).toBe(0);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('starting a replacement')]);
  });

  it('terminates the workers already started when another fails to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facex-pool-'));
    try {
      const marker = join(dir, 'fail');
      writeFileSync(marker, '');
      await expect(
        WorkerPool.start<EchoRequest, Float32Array, EchoOptions>({ entry, options: { offset: 0, failStartWhileExists: marker }, size: 2, maxQueue: 1 }),
      ).rejects.toThrow('told to fail at start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports failed replacements and fails waiting and new tasks once no worker can be started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facex-pool-'));
    const marker = join(dir, 'fail');
    const errors: string[] = [];
    const fragile = await WorkerPool.start<EchoRequest, Float32Array, EchoOptions>({
      entry,
      options: { offset: 0, failStartWhileExists: marker },
      size: 1,
      maxQueue: 4,
      respawn: { attempts: 2, initialDelayMs: 10 },
      onWorkerError: (e) => errors.push(e.message),
    });
    try {
      writeFileSync(marker, '');
      const crashed = fragile.run({ values: new Float32Array(1), fail: 'exit' });
      const waiting = fragile.run({ values: new Float32Array(1) });
      await expect(crashed).rejects.toMatchObject({ code: 'unavailable' });
      await expect(waiting).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('no worker left') });
      await expect(fragile.run({ values: new Float32Array(1) })).rejects.toMatchObject({ code: 'unavailable' });
      expect(errors.filter((m) => m.includes('failed to start'))).toHaveLength(2);
    } finally {
      await fragile.close();
      expect(fragile.threadCount).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recovers when a replacement starts on a later attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facex-pool-'));
    const marker = join(dir, 'fail');
    const errors: string[] = [];
    const pool2 = await WorkerPool.start<EchoRequest, Float32Array, EchoOptions>({
      entry,
      options: { offset: 1, failStartWhileExists: marker },
      size: 1,
      maxQueue: 4,
      respawn: { attempts: 5, initialDelayMs: 200 },
      onWorkerError: (e) => {
        errors.push(e.message);
        // The first failed start lifts the fault: the retry after the backoff succeeds.
        if (e.message.includes('failed to start')) rmSync(marker, { force: true });
      },
    });
    try {
      writeFileSync(marker, '');
      await expect(pool2.run({ values: new Float32Array(1), fail: 'exit' })).rejects.toMatchObject({ code: 'unavailable' });
      expect(Array.from(await pool2.run({ values: Float32Array.from([2]) }))).toEqual([5]);
      expect(errors.filter((m) => m.includes('failed to start'))).toHaveLength(1);
    } finally {
      await pool2.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
