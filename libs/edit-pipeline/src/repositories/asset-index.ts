/** Which edits and representations derive from an asset, so deleting the asset can delete them too. */
import type { Redis } from 'ioredis';

export class AssetIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private editsKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:edits`;
  }

  private representationsKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:representations`;
  }

  async addEdit(sha256: string, editId: string): Promise<void> {
    await this.redis.sadd(this.editsKey(sha256), editId);
  }

  async removeEdit(sha256: string, editId: string): Promise<void> {
    await this.redis.srem(this.editsKey(sha256), editId);
  }

  edits(sha256: string): Promise<string[]> {
    return this.redis.smembers(this.editsKey(sha256));
  }

  /** `cacheKey`: the Redis key of a cached representation of this asset. */
  async addRepresentation(sha256: string, cacheKey: string): Promise<void> {
    await this.redis.sadd(this.representationsKey(sha256), cacheKey);
  }

  representations(sha256: string): Promise<string[]> {
    return this.redis.smembers(this.representationsKey(sha256));
  }

  async forget(sha256: string): Promise<void> {
    await this.redis.del(this.editsKey(sha256), this.representationsKey(sha256));
  }
}
