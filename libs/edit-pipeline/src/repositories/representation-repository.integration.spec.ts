import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { representationKey } from '@facex/contracts';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { FsBlobStore } from '@facex/storage';
import { AssetIndex } from './asset-index';
import { RepresentationRepository } from './representation-repository';

const redis = new IORedis(TEST_REDIS_URL);
const prefix = testPrefix('representations');
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
let dir: string;
let repository: RepresentationRepository;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-representations-'));
  repository = new RepresentationRepository(redis, `${prefix}:`, new FsBlobStore(dir), new AssetIndex(redis, `${prefix}:`));
});

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

const cache = (sha256: string, faceIndex: number, version: string) =>
  redis.hset(`${prefix}:${representationKey(sha256, faceIndex, version)}`, 'blobKey', 'x', 'cropKey', 'y');

describe('RepresentationRepository.cachedInputs', () => {
  it('names no input cached before an extractor has published its pack version', async () => {
    await cache(A, 0, '1.0.0');
    expect(await repository.cachedInputs([{ assetId: A, faceIndex: 0 }])).toEqual([]);
  });

  it('names the inputs cached for the published version: all, some or none', async () => {
    await repository.publishPackVersion('1.0.0');
    // A fresh repository: the version read above is remembered for a while.
    const fresh = new RepresentationRepository(redis, `${prefix}:`, new FsBlobStore(dir), new AssetIndex(redis, `${prefix}:`));
    await cache(B, 2, '0.9.0');
    expect(
      await fresh.cachedInputs([
        { assetId: A, faceIndex: 0 },
        { assetId: A, faceIndex: 0 },
      ]),
    ).toEqual([0, 1]);
    expect(
      await fresh.cachedInputs([
        { assetId: B, faceIndex: 2 },
        { assetId: A, faceIndex: 0 },
      ]),
    ).toEqual([1]);
    expect(
      await fresh.cachedInputs([
        { assetId: A, faceIndex: 1 },
        { assetId: B, faceIndex: 2 },
      ]),
    ).toEqual([]);
  });
});
