/**
 * Webhook endpoints per account (URL, events, secret), secret rotation with an overlap during which both
 * secrets sign (Standard Webhooks: several space-separated signatures in one header), the delivery log of an
 * edit, and redelivery of an edit's terminal event.
 */
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { EDIT_EVENT_TYPES, TERMINAL_STATUSES, type EditEventType } from '@facex/contracts';
import { assertPublicUrl } from '@facex/net-guard';
import { enqueueWebhookEvent } from '@facex/queue';
import { urlPolicyOf, withSettingHint, type GatewayConfig } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { DeliveryAttempt, WebhookEndpoint, WebhookEndpointRepository } from '../repositories/webhook-endpoint-repository';
import type { EditApiService } from './edit-api-service';

/** How long the previous secret keeps signing after a rotation, unless the request says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
const MAX_ENDPOINTS = 20;

export type WebhookEndpointView = Omit<WebhookEndpoint, 'secret' | 'previousSecret'>;

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
export function signingSecrets(endpoint: WebhookEndpoint, now = new Date()): string[] {
  const previousValid = endpoint.previousSecret && endpoint.previousSecretExpiresAt && Date.parse(endpoint.previousSecretExpiresAt) > now.getTime();
  return previousValid ? [endpoint.secret, endpoint.previousSecret as string] : [endpoint.secret];
}

const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export function endpointView(endpoint: WebhookEndpoint): WebhookEndpointView {
  const { secret: _secret, previousSecret: _previous, ...view } = endpoint;
  return view;
}

export class WebhookEndpointService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly edits: EditApiService,
    private readonly webhookQueue: Queue,
    private readonly settings: Pick<GatewayConfig, 'allowPrivateUrls'>,
  ) {}

  /** Registers an endpoint (SSRF-checked now, and again at every delivery); the secret is in the answer. */
  async create(tenant: string, request: { url: string; events?: readonly EditEventType[] }, now = new Date()): Promise<WebhookEndpoint> {
    await withSettingHint(assertPublicUrl(request.url, urlPolicyOf(this.settings, 'url')));
    if ((await this.endpoints.list(tenant)).length >= MAX_ENDPOINTS)
      throw new ProblemError('invalid_request', `url: at most ${MAX_ENDPOINTS} endpoints per key`, { field: 'url' });
    const endpoint: WebhookEndpoint = {
      id: `we_${randomBytes(8).toString('hex')}`,
      url: request.url,
      events: [...new Set(request.events ?? EDIT_EVENT_TYPES)],
      secret: newSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now.toISOString(),
    };
    await this.endpoints.save(tenant, endpoint);
    return endpoint;
  }

  async list(tenant: string): Promise<WebhookEndpointView[]> {
    return (await this.endpoints.list(tenant)).map(endpointView);
  }

  /** The endpoint with its secrets; ProblemError('not_found') otherwise. */
  async get(tenant: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = /^we_[0-9a-f]{16}$/.test(id) ? await this.endpoints.get(tenant, id) : null;
    if (!endpoint) throw new ProblemError('not_found', `no webhook endpoint ${id}`);
    return endpoint;
  }

  async delete(tenant: string, id: string): Promise<void> {
    await this.get(tenant, id);
    await this.endpoints.delete(tenant, id);
  }

  /** A new secret; the previous one keeps signing for `overlapSeconds` (0: stops at once). */
  async rotate(tenant: string, id: string, overlapSeconds = DEFAULT_ROTATION_OVERLAP_SECONDS, now = new Date()): Promise<WebhookEndpoint> {
    const endpoint = await this.get(tenant, id);
    const rotated: WebhookEndpoint = {
      ...endpoint,
      secret: newSecret(),
      previousSecret: overlapSeconds > 0 ? endpoint.secret : null,
      previousSecretExpiresAt: overlapSeconds > 0 ? new Date(now.getTime() + overlapSeconds * 1000).toISOString() : null,
    };
    await this.endpoints.save(tenant, rotated);
    return rotated;
  }

  /** Every delivery attempt of the edit's events, oldest first. */
  async deliveries(tenant: string, editId: string): Promise<DeliveryAttempt[]> {
    const edit = await this.edits.get(tenant, editId);
    return this.endpoints.attempts(edit.id);
  }

  /** Sends the edit's terminal event again to every target (same event id: receivers may de-duplicate). */
  async redeliver(tenant: string, editId: string): Promise<{ eventType: EditEventType; redelivery: number }> {
    const edit = await this.edits.get(tenant, editId);
    if (!TERMINAL_STATUSES.includes(edit.status))
      throw new ProblemError('edit_not_completed', `edit ${editId} is ${edit.status}: it has no event to redeliver yet`);
    const eventType = `edit.${edit.status}` as EditEventType;
    const redelivery = (await this.endpoints.attempts(edit.id)).reduce((max, attempt) => Math.max(max, attempt.delivery), 0) + 1;
    await enqueueWebhookEvent(this.webhookQueue, edit.id, tenant, eventType, redelivery);
    return { eventType, redelivery };
  }
}
