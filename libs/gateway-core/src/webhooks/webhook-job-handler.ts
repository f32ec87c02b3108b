/**
 * The `webhook` job: load the edit, rebuild its event with the job's event id (the same id on every retry
 * and redelivery, so receivers de-duplicate), and deliver it to each target: the edit's own `webhookUrl`
 * (signed with the key's secret) and every endpoint the tenant registered for the event type (signed with
 * the endpoint's secret, and during a rotation's overlap with the previous one too). Each attempt is logged
 * on the edit; a target that has the event is not sent it again when the job retries for another. A
 * retryable outcome of any target throws a retryable FacexError (the queue retries with webhookBackoff).
 */
import { FacexError, type EditRecord } from '@facex/contracts';
import { createLogger } from '@facex/logging';
import type { JobHandler } from '@facex/queue';
import { buildEditEvent, type WebhookDeliveryService } from '@facex/webhooks';
import type { EditRepository } from '@facex/edit-pipeline';
import type { ApiKeyRepository } from '../repositories/api-key-repository';
import type { WebhookEndpointRepository } from '../repositories/webhook-endpoint-repository';
import { signingSecrets } from '../services/webhook-endpoint-service';

export interface WebhookJobDeps {
  edits: EditRepository;
  keys: ApiKeyRepository;
  endpoints: WebhookEndpointRepository;
  delivery: WebhookDeliveryService;
  /** The public API origin the event's links point at. */
  linksBaseUrl: string;
  /** How long delivery logs are kept (the result's retention). */
  logTtlSeconds: number;
}

interface Target {
  target: string;
  url: string;
  secret: string | readonly string[];
}

async function targetsOf(deps: WebhookJobDeps, edit: EditRecord, eventType: EditRecord['status']): Promise<Target[]> {
  const targets: Target[] = [];
  if (edit.options.webhookUrl) {
    const secret = await deps.keys.webhookSecret(edit.tenant);
    if (secret) targets.push({ target: 'options.webhookUrl', url: edit.options.webhookUrl, secret });
  }
  for (const endpoint of await deps.endpoints.list(edit.tenant)) {
    if (endpoint.events.includes(`edit.${eventType}` as (typeof endpoint.events)[number]))
      targets.push({ target: endpoint.id, url: endpoint.url, secret: signingSecrets(endpoint) });
  }
  return targets;
}

const logger = createLogger('webhooks');

export function createWebhookJobHandler(deps: WebhookJobDeps): JobHandler<'webhook'> {
  return async (payload) => {
    const context = { eventId: payload.eventId, editId: payload.editId, tenant: payload.tenant };
    const edit = await deps.edits.get(payload.editId);
    // The edit was deleted (with its asset, or by the tenant): there is nothing to tell.
    if (!edit || edit.tenant !== payload.tenant) return logger.info(context, 'webhook skipped: the edit is gone');
    const event = buildEditEvent(edit, payload.eventType, deps.linksBaseUrl, { eventId: payload.eventId });
    const delivery = payload.redelivery ?? 0;
    const done = await deps.endpoints.delivered(payload.eventId, delivery);
    let retry: FacexError | undefined;
    for (const target of await targetsOf(deps, edit, payload.eventType.slice('edit.'.length) as EditRecord['status'])) {
      if (done.has(target.target)) continue;
      const started = Date.now();
      const record = {
        eventId: payload.eventId,
        eventType: payload.eventType,
        target: target.target,
        url: target.url,
        delivery,
        at: new Date(started).toISOString(),
      };
      try {
        const settled = await deps.delivery.deliver({ endpoint: target.url, secret: target.secret, event });
        await deps.endpoints.logAttempt(
          edit.id,
          {
            ...record,
            verdict: settled.verdict,
            ...(settled.status ? { status: settled.status } : {}),
            reason: settled.reason,
            durationMs: settled.durationMs,
          },
          deps.logTtlSeconds,
        );
        // Delivered or refused for good: either way this target is not sent the event again by a retry.
        await deps.endpoints.markDelivered(payload.eventId, delivery, target.target, deps.logTtlSeconds);
        if (settled.verdict === 'failed_permanently') logger.warn({ ...context, target: target.target, reason: settled.reason }, 'webhook failed permanently');
      } catch (error) {
        if (!(error instanceof FacexError) || !error.retryable) throw error;
        const status = typeof error.details['status'] === 'number' ? { status: error.details['status'] } : {};
        await deps.endpoints.logAttempt(
          edit.id,
          { ...record, verdict: 'retryable', ...status, reason: error.message, durationMs: Date.now() - started },
          deps.logTtlSeconds,
        );
        retry ??= error;
      }
    }
    if (retry) throw retry;
  };
}
