/**
 * Which tenant may see which asset. Assets are content-addressed globally (one blob per sha256) but visible
 * per tenant: `<prefix>:tenant:<id>:assets` lists a tenant's assets, `<prefix>:asset:<sha>:owners` the
 * tenants of an asset, so the asset itself is deleted only when its last owner deletes it.
 */
import type { Redis } from 'ioredis';

const DISOWN_SCRIPT = `
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 0 then return -1 end
redis.call('SREM', KEYS[2], ARGV[2])
return redis.call('SCARD', KEYS[2])`;

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

  async own(tenant: string, sha256: string): Promise<void> {
    await this.redis.multi().sadd(this.tenantKey(tenant), sha256).sadd(this.ownersKey(sha256), tenant).exec();
  }

  async owns(tenant: string, sha256: string): Promise<boolean> {
    return (await this.redis.sismember(this.tenantKey(tenant), sha256)) === 1;
  }

  /** Drops the tenant's claim atomically: null when it had none, else how many owners remain. */
  async disown(tenant: string, sha256: string): Promise<number | null> {
    const remaining = (await this.redis.eval(DISOWN_SCRIPT, 2, this.tenantKey(tenant), this.ownersKey(sha256), sha256, tenant)) as number;
    return remaining < 0 ? null : remaining;
  }
}
