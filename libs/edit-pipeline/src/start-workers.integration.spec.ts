import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingHandlerError } from '@facex/queue';
import { FsBlobStore } from '@facex/storage';
import { TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
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
