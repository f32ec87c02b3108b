/**
 * The `webhook` job: load the edit, rebuild its event with the job's event id (the same id on every retry,
 * so receivers de-duplicate), sign it with the tenant's secret and deliver it. A retryable outcome throws a
 * retryable FacexError (the queue retries with webhookBackoff); a permanent one completes the job.
 */
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
  log?: (message: string) => void;
}

export function createWebhookJobHandler(deps: WebhookJobDeps): JobHandler<'webhook'> {
  const log = deps.log ?? (() => undefined);
  return async (payload) => {
    const edit = await deps.edits.get(payload.editId);
    // The edit was deleted with its asset, or it no longer names an endpoint: there is nothing to tell.
    if (!edit || edit.tenant !== payload.tenant || !edit.options.webhookUrl) return log(`webhook ${payload.eventId}: edit gone, skipped`);
    const secret = await deps.keys.webhookSecret(payload.tenant);
    if (!secret) return log(`webhook ${payload.eventId}: tenant has no webhook secret, skipped`);
    const event = buildEditEvent(edit, payload.eventType, deps.linksBaseUrl, { eventId: payload.eventId });
    const settled = await deps.delivery.deliver({ endpoint: edit.options.webhookUrl, secret, event });
    if (settled.verdict === 'failed_permanently') log(`webhook ${payload.eventId}: failed permanently (${settled.reason})`);
  };
}
