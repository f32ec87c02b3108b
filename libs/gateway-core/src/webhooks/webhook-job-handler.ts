/**
 * The `webhook` job: load the edit, rebuild its event with the job's event id (the same id on every retry,
 * so receivers de-duplicate), sign it with the tenant's secret and deliver it. A retryable outcome throws a
 * retryable FacexError (the queue retries with webhookBackoff); a permanent one completes the job.
 */
import { createLogger } from '@facex/logging';
import type { JobHandler } from '@facex/queue';
import { buildEditEvent, type WebhookDeliveryService } from '@facex/webhooks';
import type { EditRepository } from '@facex/edit-pipeline';
import type { ApiKeyRepository } from '../repositories/api-key-repository';

export interface WebhookJobDeps {
  edits: EditRepository;
  keys: ApiKeyRepository;
  delivery: WebhookDeliveryService;
  /** The public API origin the event's links point at. */
  linksBaseUrl: string;
}

const logger = createLogger('webhooks');

export function createWebhookJobHandler(deps: WebhookJobDeps): JobHandler<'webhook'> {
  return async (payload) => {
    const context = { eventId: payload.eventId, editId: payload.editId, tenant: payload.tenant };
    const edit = await deps.edits.get(payload.editId);
    // The edit was deleted with its asset, or it no longer names an endpoint: there is nothing to tell.
    if (!edit || edit.tenant !== payload.tenant || !edit.options.webhookUrl) return logger.info(context, 'webhook skipped: the edit is gone');
    const secret = await deps.keys.webhookSecret(payload.tenant);
    if (!secret) return logger.warn(context, 'webhook skipped: the tenant has no webhook secret');
    const event = buildEditEvent(edit, payload.eventType, deps.linksBaseUrl, { eventId: payload.eventId });
    const settled = await deps.delivery.deliver({ endpoint: edit.options.webhookUrl, secret, event });
    if (settled.verdict === 'failed_permanently') logger.warn({ ...context, reason: settled.reason }, 'webhook failed permanently');
  };
}
