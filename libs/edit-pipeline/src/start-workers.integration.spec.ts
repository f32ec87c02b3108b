import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { createLogger } from '@facex/logging';
import { MissingHandlerError } from '@facex/queue';
import { FsBlobStore } from '@facex/storage';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { createRedis } from '@facex/queue';
import { startWorkers } from './start-workers';

it('refuses to start a worker for a tier whose jobs have no handler, and leaves nothing open', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'facex-start-'));
  try {
    await expect(
      startWorkers({ redisUrl: TEST_REDIS_URL, prefix: testPrefix('start'), blobs: new FsBlobStore(dir), tiers: ['gpu', 'webhook'] }),
    ).rejects.toThrow(MissingHandlerError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('logs the connection errors its workers and connection emit (a Redis restart) as structured lines, once per outage', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'facex-start-'));
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  const logger = createLogger('worker', { level: 'warn', destination });
  const running = await startWorkers({ redisUrl: TEST_REDIS_URL, prefix: testPrefix('start'), blobs: new FsBlobStore(dir), tiers: ['gpu'], logger });
  try {
    await Promise.all(running.workers.map((worker) => worker.waitUntilReady()));
    for (let repeat = 0; repeat < 3; repeat++) running.workers[0]?.emit('error', new Error('Connection is closed.'));
    const logged = lines.map((line) => JSON.parse(line) as { component: string; msg: string; err: { message: string } });
    expect(logged).toEqual([
      expect.objectContaining({
        component: 'worker',
        msg: 'worker facex-gpu: connection error (retrying)',
        err: expect.objectContaining({ message: 'Connection is closed.' }),
      }),
    ]);
  } finally {
    await running.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('closes cleanly at any moment of its start-up: no uncaught error from a connection still coming up', async () => {
  const prefix = testPrefix('start-close');
  const script = join(__dirname, 'testing', 'start-and-close-workers.ts');
  try {
    // A child process: an uncaught error there ends it non-zero, where jest would only log it.
    const { stdout } = await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), script, '60', TEST_REDIS_URL, prefix], {
      cwd: join(__dirname, '..', '..', '..'),
    });
    expect(stdout).toMatch(/^closed 60$/m);
  } finally {
    const redis = createRedis(TEST_REDIS_URL);
    await deleteNamespace(redis, prefix);
    await redis.quit();
  }
}, 120_000);
