/**
 * Which tenant may see which asset. Assets are content-addressed globally (one blob per sha256) but visible
 * per tenant: `<prefix>:tenant:<id>:assets` lists a tenant's assets, `<prefix>:asset:<sha>:owners` the
 * tenants of an asset, so the asset itself is deleted only when its last owner deletes it. The image's size
 * (`<prefix>:asset:<sha>:size`, "W×H") lives as long as the asset has an owner.
 */
import type { Redis } from 'ioredis';

const DISOWN_SCRIPT = `
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 0 then return -1 end
redis.call('SREM', KEYS[2], ARGV[2])
local remaining = redis.call('SCARD', KEYS[2])
if remaining == 0 then redis.call('DEL', KEYS[3]) end
return remaining`;

export interface ImageSize {
  width: number;
  height: number;
}

export class TenantAssetRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private tenantKey(tenant: string): string {
    return `${this.keyPrefix}tenant:${tenant}:assets`;
  }

  private ownersKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:owners`;
  }

  private sizeKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:size`;
  }

  async own(tenant: string, sha256: string, size: ImageSize): Promise<void> {
    await this.redis.multi().sadd(this.tenantKey(tenant), sha256).sadd(this.ownersKey(sha256), tenant).set(this.sizeKey(sha256), `${size.width}x${size.height}`).exec();
  }

  /** The image's size; null for an unknown asset (or one stored before sizes were kept). */
  async size(sha256: string): Promise<ImageSize | null> {
    const value = await this.redis.get(this.sizeKey(sha256));
    const [width, height] = (value ?? '').split('x').map(Number);
    return value && width > 0 && height > 0 ? { width, height } : null;
  }

  async owns(tenant: string, sha256: string): Promise<boolean> {
    return (await this.redis.sismember(this.tenantKey(tenant), sha256)) === 1;
  }

  /** Drops the tenant's claim atomically: null when it had none, else how many owners remain. */
  async disown(tenant: string, sha256: string): Promise<number | null> {
    const remaining = (await this.redis.eval(DISOWN_SCRIPT, 3, this.tenantKey(tenant), this.ownersKey(sha256), this.sizeKey(sha256), sha256, tenant)) as number;
    return remaining < 0 ? null : remaining;
  }
}
