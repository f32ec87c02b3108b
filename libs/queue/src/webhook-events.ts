/**
 * Edit events as `webhook` jobs: one job per event, its id derived from the event, so a retried emit adds
 * nothing twice. The webhooks library serves the `webhook` queue.
 *
 * Retries use the custom backoff type WEBHOOK_BACKOFF_TYPE: exponential with full jitter and a cap
 * (@facex/webhooks webhookBackoff), registered as the `backoffStrategy` of the worker that serves the queue.
 */
import type { Queue } from 'bullmq';
import { editEventId, webhookJobId, type EditEventType, type JobPayloads } from '@facex/contracts';
import { jobOptions } from './queues';

export const WEBHOOK_BACKOFF_TYPE = 'facex-webhook';

/** `redelivery` n (≥ 1): the n-th redelivery the tenant asked for; the same event id, its own job. */
export function enqueueWebhookEvent(queue: Queue, editId: string, tenant: string, eventType: EditEventType, redelivery?: number): Promise<unknown> {
  const eventId = editEventId(editId, eventType);
  const payload: JobPayloads['webhook'] = { editId, tenant, eventType, eventId, ...(redelivery ? { redelivery } : {}) };
  const jobId = redelivery ? `${webhookJobId(eventId)}.r${redelivery}` : webhookJobId(eventId);
  return queue.add('webhook', payload, { ...jobOptions('webhook'), backoff: { type: WEBHOOK_BACKOFF_TYPE }, jobId });
}
