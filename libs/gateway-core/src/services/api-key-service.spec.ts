import type { ApiKeyIdentity, ApiKeyRepository } from '../repositories/api-key-repository';
import { ApiKeyService } from './api-key-service';

/** A repository counting its lookups, holding the keys issued through it. */
function countingRepository() {
  const byHash = new Map<string, ApiKeyIdentity>();
  const counts = { lookups: 0 };
  const repository = {
    create: async (identity: ApiKeyIdentity, hash: string) => void byHash.set(hash, identity),
    findByHash: async (hash: string) => {
      counts.lookups++;
      return byHash.get(hash) ?? null;
    },
    isRevoked: async () => false,
    delete: (id: string) => {
      for (const [hash, identity] of byHash) if (identity.id === id) byHash.delete(hash);
    },
  };
  return { repository, counts };
}

describe('ApiKeyService', () => {
  it('asks Redis once per key within the cache time, and again after it', async () => {
    let now = 1_000;
    const { repository, counts } = countingRepository();
    const service = new ApiKeyService(repository as unknown as ApiKeyRepository, { ttlMs: 5_000, maxEntries: 10, now: () => now });
    const issued = await service.issue('app');
    for (let i = 0; i < 3; i++) expect(await service.authenticate(issued.key)).toEqual({ id: issued.id, name: 'app' });
    expect(counts.lookups).toBe(1);
    now += 5_001;
    await service.authenticate(issued.key);
    expect(counts.lookups).toBe(2);
  });

  it('stops accepting a deleted key once the cache time has passed', async () => {
    let now = 0;
    const { repository } = countingRepository();
    const service = new ApiKeyService(repository as unknown as ApiKeyRepository, { ttlMs: 5_000, maxEntries: 10, now: () => now });
    const issued = await service.issue('app');
    await service.authenticate(issued.key);
    repository.delete(issued.id);
    await expect(service.authenticate(issued.key)).resolves.toMatchObject({ id: issued.id });
    now += 5_001;
    await expect(service.authenticate(issued.key)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('never remembers an unknown key, so a key issued elsewhere works at once', async () => {
    const { repository, counts } = countingRepository();
    const service = new ApiKeyService(repository as unknown as ApiKeyRepository, { ttlMs: 60_000, maxEntries: 10 });
    const elsewhere = new ApiKeyService(repository as unknown as ApiKeyRepository);
    const unknown = `fx_${'0'.repeat(48)}`;
    await expect(service.authenticate(unknown)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(service.authenticate(unknown)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(counts.lookups).toBe(2);
    const issued = await elsewhere.issue('new');
    await expect(service.authenticate(issued.key)).resolves.toMatchObject({ id: issued.id });
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const { repository, counts } = countingRepository();
    const service = new ApiKeyService(repository as unknown as ApiKeyRepository, { ttlMs: 60_000, maxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => service.issue(name)));
    await service.authenticate(a.key);
    await service.authenticate(b.key);
    await service.authenticate(a.key);
    await service.authenticate(c.key); // drops b, the least recently used
    expect(counts.lookups).toBe(3);
    await service.authenticate(a.key);
    expect(counts.lookups).toBe(3);
    await service.authenticate(b.key);
    expect(counts.lookups).toBe(4);
  });

  it('refuses a missing or malformed key without a lookup', async () => {
    const { repository, counts } = countingRepository();
    const service = new ApiKeyService(repository as unknown as ApiKeyRepository, { ttlMs: 60_000, maxEntries: 2 });
    await expect(service.authenticate(null)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(service.authenticate('fx_short')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(counts.lookups).toBe(0);
  });
});
