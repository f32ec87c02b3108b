/**
 * API keys in Redis. Only the sha256 of a key is stored (keys are 192-bit random, so a fast hash suffices):
 *   <prefix>:apikey:<sha256(key)>  hash { id, name }        — authentication, one HGETALL
 *   <prefix>:tenant:<id>           hash { name, createdAt, webhookSecret } — the tenant (= key id)
 * The webhook signing secret is never logged; it is returned once at key creation and by GET /v1/webhook-secret.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ApiKeyIdentity {
  /** The key id: the tenant every asset and edit is scoped to. */
  id: string;
  name: string;
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

  async create(identity: ApiKeyIdentity, keyHash: string, webhookSecret: string, now = new Date()): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keyOfHash(keyHash), 'id', identity.id, 'name', identity.name)
      .hset(this.tenantKey(identity.id), 'name', identity.name, 'createdAt', now.toISOString(), 'webhookSecret', webhookSecret)
      .exec();
  }

  async findByHash(keyHash: string): Promise<ApiKeyIdentity | null> {
    const hash = await this.redis.hgetall(this.keyOfHash(keyHash));
    return hash['id'] ? { id: hash['id'], name: hash['name'] ?? '' } : null;
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
