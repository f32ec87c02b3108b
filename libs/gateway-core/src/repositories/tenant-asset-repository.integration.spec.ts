import IORedis from 'ioredis';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { TenantAssetRepository } from './tenant-asset-repository';

const redis = new IORedis(TEST_REDIS_URL);
const prefix = testPrefix('tenant-assets');
const repository = new TenantAssetRepository(redis, `${prefix}:`);
const SHA = 'c'.repeat(64);

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
});

describe('TenantAssetRepository', () => {
  it('keeps an asset\'s image size while any tenant owns it, and forgets it with the last owner', async () => {
    expect(await repository.size(SHA)).toBeNull();
    await repository.own('a', SHA, { width: 640, height: 480 });
    await repository.own('b', SHA, { width: 640, height: 480 });
    expect(await repository.size(SHA)).toEqual({ width: 640, height: 480 });
    expect(await repository.disown('a', SHA)).toBe(1);
    expect(await repository.size(SHA)).toEqual({ width: 640, height: 480 });
    expect(await repository.disown('a', SHA)).toBeNull();
    expect(await repository.disown('b', SHA)).toBe(0);
    expect(await repository.size(SHA)).toBeNull();
  });
});
