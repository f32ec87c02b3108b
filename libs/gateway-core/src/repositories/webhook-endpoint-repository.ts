/**
 * Webhook endpoints an account registers, and the delivery log of each edit, in Redis:
 *   <prefix>:tenant:<t>:webhook-endpoints        set of endpoint ids
 *   <prefix>:tenant:<t>:webhook-endpoint:<id>    hash { url, events, secret, previousSecret, previousSecretExpiresAt, createdAt }
 *   <prefix>:edit:<editId>:deliveries            list of JSON attempts, newest first (capped, expiring with the result)
 *   <prefix>:webhook-delivered:<eventId>:<n>     set of targets that have the event (delivery n; 0 = the first)
 */
import type { Redis } from 'ioredis';
import type { EditEventType } from '@facex/contracts';

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: EditEventType[];
  secret: string;
  /** The secret before the last rotation, valid (it signs too) until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: EditEventType;
  /** `options.webhookUrl` or the endpoint id. */
  target: string;
  url: string;
  verdict: 'delivered' | 'retryable' | 'failed_permanently';
  status?: number;
  reason: string;
  durationMs: number;
  at: string;
  /** 0 for the first delivery of the event, n for the n-th redelivery. */
  delivery: number;
}

const LOG_LENGTH = 200;

export class WebhookEndpointRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private setKey(tenant: string): string {
    return `${this.keyPrefix}tenant:${tenant}:webhook-endpoints`;
  }

  private endpointKey(tenant: string, id: string): string {
    return `${this.keyPrefix}tenant:${tenant}:webhook-endpoint:${id}`;
  }

  private logKey(editId: string): string {
    return `${this.keyPrefix}edit:${editId}:deliveries`;
  }

  private deliveredKey(eventId: string, delivery: number): string {
    return `${this.keyPrefix}webhook-delivered:${eventId}:${delivery}`;
  }

  async save(tenant: string, endpoint: WebhookEndpoint): Promise<void> {
    await this.redis
      .multi()
      .hset(this.endpointKey(tenant, endpoint.id), {
        url: endpoint.url,
        events: endpoint.events.join(','),
        secret: endpoint.secret,
        previousSecret: endpoint.previousSecret ?? '',
        previousSecretExpiresAt: endpoint.previousSecretExpiresAt ?? '',
        createdAt: endpoint.createdAt,
      })
      .sadd(this.setKey(tenant), endpoint.id)
      .exec();
  }

  async get(tenant: string, id: string): Promise<WebhookEndpoint | null> {
    const hash = await this.redis.hgetall(this.endpointKey(tenant, id));
    if (!hash['url']) return null;
    return {
      id,
      url: hash['url'],
      events: (hash['events'] ?? '').split(',').filter(Boolean) as EditEventType[],
      secret: hash['secret'] ?? '',
      previousSecret: hash['previousSecret'] || null,
      previousSecretExpiresAt: hash['previousSecretExpiresAt'] || null,
      createdAt: hash['createdAt'] ?? '',
    };
  }

  async list(tenant: string): Promise<WebhookEndpoint[]> {
    const ids = (await this.redis.smembers(this.setKey(tenant))).sort();
    const endpoints = await Promise.all(ids.map((id) => this.get(tenant, id)));
    return endpoints.filter((endpoint): endpoint is WebhookEndpoint => endpoint !== null);
  }

  /** False when there was no such endpoint. */
  async delete(tenant: string, id: string): Promise<boolean> {
    const [[, removed]] = (await this.redis.multi().srem(this.setKey(tenant), id).del(this.endpointKey(tenant, id)).exec()) as [[unknown, number], unknown];
    return removed === 1;
  }

  async logAttempt(editId: string, attempt: DeliveryAttempt, ttlSeconds: number): Promise<void> {
    const key = this.logKey(editId);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(attempt))
      .ltrim(key, 0, LOG_LENGTH - 1)
      .expire(key, ttlSeconds)
      .exec();
  }

  /** The edit's delivery attempts, oldest first. */
  async attempts(editId: string): Promise<DeliveryAttempt[]> {
    return (await this.redis.lrange(this.logKey(editId), 0, -1)).reverse().map((line) => JSON.parse(line) as DeliveryAttempt);
  }

  async deleteLog(editId: string): Promise<void> {
    await this.redis.del(this.logKey(editId));
  }

  async delivered(eventId: string, delivery: number): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.deliveredKey(eventId, delivery)));
  }

  async markDelivered(eventId: string, delivery: number, target: string, ttlSeconds: number): Promise<void> {
    const key = this.deliveredKey(eventId, delivery);
    await this.redis.multi().sadd(key, target).expire(key, ttlSeconds).exec();
  }
}
