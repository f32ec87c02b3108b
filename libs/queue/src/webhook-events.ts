/**
 * Edit events as `webhook` jobs: one job per event, its id derived from the event, so a retried emit adds
 * nothing twice. The webhooks library serves the `webhook` queue.
 */
import type { Queue } from 'bullmq';
import { editEventId, webhookJobId, type EditEventType, type JobPayloads } from '@facex/contracts';
import { jobOptions } from './queues';

export function enqueueWebhookEvent(queue: Queue, editId: string, tenant: string, eventType: EditEventType): Promise<unknown> {
  const eventId = editEventId(editId, eventType);
  const payload: JobPayloads['webhook'] = { editId, tenant, eventType, eventId };
  return queue.add('webhook', payload, { ...jobOptions('webhook'), jobId: webhookJobId(eventId) });
}
