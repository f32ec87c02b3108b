/**
 * API keys in Redis. Only the sha256 of a key is stored (keys are 192-bit random, so a fast hash suffices):
 *   <prefix>:apikey:<sha256(key)>  hash { id, name, admin }  — authentication, one HGETALL
 *   <prefix>:tenant:<id>           hash { name, createdAt, webhookSecret, keyHash, admin, revokedAt } — the tenant (= key id)
 *   <prefix>:apikeys               set of key ids (the list an admin key reads)
 * Revoking deletes the `apikey:` record (authentication fails at once) and stamps `revokedAt` on the tenant;
 * the tenant's data stays until its owner's data is deleted.
 * The webhook signing secret is never logged; it is returned once at key creation and by GET /v1/webhook-secret.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ApiKeyIdentity {
  /** The key id: the tenant every asset and edit is scoped to. */
  id: string;
  name: string;
  /** May list and revoke keys. */
  admin?: boolean;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  admin: boolean;
  createdAt: string;
  revokedAt: string | null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class ApiKeyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private keyOfHash(hash: string): string {
    return `${this.keyPrefix}apikey:${hash}`;
  }

  private tenantKey(id: string): string {
    return `${this.keyPrefix}tenant:${id}`;
  }

  private indexKey(): string {
    return `${this.keyPrefix}apikeys`;
  }

  async create(identity: ApiKeyIdentity, keyHash: string, webhookSecret: string, now = new Date()): Promise<void> {
    const admin = identity.admin ? '1' : '0';
    await this.redis
      .multi()
      .hset(this.keyOfHash(keyHash), 'id', identity.id, 'name', identity.name, 'admin', admin)
      .hset(
        this.tenantKey(identity.id),
        'name',
        identity.name,
        'createdAt',
        now.toISOString(),
        'webhookSecret',
        webhookSecret,
        'keyHash',
        keyHash,
        'admin',
        admin,
      )
      .sadd(this.indexKey(), identity.id)
      .exec();
  }

  async findByHash(keyHash: string): Promise<ApiKeyIdentity | null> {
    const hash = await this.redis.hgetall(this.keyOfHash(keyHash));
    return hash['id'] ? { id: hash['id'], name: hash['name'] ?? '', admin: hash['admin'] === '1' } : null;
  }

  /** Every key, revoked ones included, oldest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const ids = await this.redis.smembers(this.indexKey());
    const records = await Promise.all(
      ids.map(async (id): Promise<ApiKeyRecord | null> => {
        const hash = await this.redis.hgetall(this.tenantKey(id));
        if (!hash['createdAt']) return null;
        return { id, name: hash['name'] ?? '', admin: hash['admin'] === '1', createdAt: hash['createdAt'], revokedAt: hash['revokedAt'] || null };
      }),
    );
    return records
      .filter((record): record is ApiKeyRecord => record !== null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Stops the key from authenticating; false when there is no such key or it was already revoked. */
  async revoke(id: string, now = new Date()): Promise<boolean> {
    const [keyHash, createdAt, revokedAt] = await this.redis.hmget(this.tenantKey(id), 'keyHash', 'createdAt', 'revokedAt');
    if (!createdAt || revokedAt) return false;
    const revoking = this.redis.multi().hset(this.tenantKey(id), 'revokedAt', now.toISOString());
    if (keyHash) revoking.del(this.keyOfHash(keyHash));
    await revoking.exec();
    return true;
  }

  /** Keys made before `keyHash` was kept cannot lose their record on revocation; this catches them. */
  async isRevoked(id: string): Promise<boolean> {
    return (await this.redis.hexists(this.tenantKey(id), 'revokedAt')) === 1;
  }

  /** The tenant's name and creation time; null for an unknown id. */
  async tenant(id: string): Promise<{ name: string; createdAt: string } | null> {
    const [name, createdAt] = await this.redis.hmget(this.tenantKey(id), 'name', 'createdAt');
    return createdAt === null ? null : { name: name ?? '', createdAt };
  }

  async webhookSecret(tenant: string): Promise<string | null> {
    return this.redis.hget(this.tenantKey(tenant), 'webhookSecret');
  }
}
