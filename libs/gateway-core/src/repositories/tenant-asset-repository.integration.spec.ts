import IORedis from 'ioredis';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { TenantAssetRepository } from './tenant-asset-repository';

const redis = new IORedis(TEST_REDIS_URL);
const prefix = testPrefix('tenant-assets');
const repository = new TenantAssetRepository(redis, `${prefix}:`);
const SHA = 'c'.repeat(64);
const asset = (id: string) => ({ id, size: 1000, contentType: 'image/jpeg', width: 640, height: 480, video: null });

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
});

describe('TenantAssetRepository', () => {
  it("keeps an asset's image size while any tenant owns it, and forgets it with the last owner", async () => {
    expect(await repository.size(SHA)).toBeNull();
    await repository.own('a', asset(SHA));
    await repository.own('b', asset(SHA));
    expect(await repository.size(SHA)).toEqual({ width: 640, height: 480 });
    expect(await repository.owners(SHA)).toBe(2);
    expect(await repository.disown('a', SHA)).toBe(1);
    expect(await repository.owns('a', SHA)).toBe(false);
    expect(await repository.size(SHA)).toEqual({ width: 640, height: 480 });
    expect(await repository.disown('a', SHA)).toBeNull();
    expect(await repository.disown('b', SHA)).toBe(0);
    expect(await repository.size(SHA)).toBeNull();
  });

  it("keeps a video's probe with the tenant's record, and none for an image", async () => {
    const probe = {
      container: 'mp4' as const,
      videoCodec: 'h264' as const,
      width: 320,
      height: 240,
      fps: { num: 30000, den: 1001 },
      frameCount: 48,
      durationSeconds: 1.6,
      audio: { codec: 'aac', sampleRate: 44100, channels: 1 },
    };
    await repository.own('v', { ...asset('e'.repeat(64)), contentType: 'video/mp4', width: 320, height: 240, video: probe });
    await repository.own('v', asset('f'.repeat(64)));
    expect((await repository.get('v', 'e'.repeat(64)))?.video).toEqual(probe);
    expect((await repository.get('v', 'f'.repeat(64)))?.video).toBeNull();
  });

  it('keeps the first creation time when the same tenant stores the bytes again', async () => {
    const first = await repository.own('c', asset('d'.repeat(64)), new Date('2026-01-01T00:00:00Z'));
    const again = await repository.own('c', asset('d'.repeat(64)), new Date('2026-02-01T00:00:00Z'));
    expect(again.createdAt).toBe(first.createdAt);
  });

  it("lists a tenant's assets newest first, page by page, inside a created range, and refuses a forged cursor", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => String(i).repeat(64));
    // Two share a millisecond: the cursor still neither skips nor repeats.
    const times = ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'];
    for (const [i, id] of ids.entries()) await repository.own('lister', asset(id), new Date(times[i]));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.list('lister', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...(page?.items.map((item) => item.id) ?? []));
      cursor = page?.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
    const ranged = await repository.list('lister', {
      limit: 10,
      createdAfter: new Date('2026-03-02T00:00:00Z'),
      createdBefore: new Date('2026-03-04T00:00:00Z'),
    });
    expect(ranged?.items.map((item) => item.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(await repository.list('lister', { limit: 2, cursor: 'bm90LWEtY3Vyc29y' })).toBeNull();
    expect((await repository.list('other', { limit: 2 }))?.items).toEqual([]);
  });
});
