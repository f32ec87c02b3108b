/**
 * The event for an edit's state change: ids, status, links and (for failures) the error's code and title —
 * nothing else, so no image or biometric data ever leaves through a webhook.
 */
import { randomUUID } from 'node:crypto';
import { EDIT_EVENT_STATUS, WebhookEventSchema, type EditEventType, type WebhookEvent } from '@facex/contracts';

/** What an event needs from the edit record. */
export interface EditEventSource {
  readonly id: string;
  readonly error?: { readonly code: string; readonly title: string } | null;
}

export interface BuildEditEventOptions {
  /** Defaults to a fresh `evt_<uuid>`; the caller keeps it to send the same id on every retry. */
  readonly eventId?: string;
  readonly now?: Date;
}

export function newWebhookEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Builds and validates the event. `linksBaseUrl` is the public API origin (e.g. `https://api.facex.example`);
 * links point at `/v1/edits/:id` and, for completed edits, `/v1/edits/:id/result`.
 */
export function buildEditEvent(edit: EditEventSource, type: EditEventType, linksBaseUrl: string, options: BuildEditEventOptions = {}): WebhookEvent {
  const self = new URL(`v1/edits/${encodeURIComponent(edit.id)}`, withTrailingSlash(linksBaseUrl)).href;
  const links = type === 'edit.completed' ? { self, result: `${self}/result` } : { self };
  const error = type === 'edit.failed' && edit.error ? { error: { code: edit.error.code, title: edit.error.title } } : {};
  // parse() checks the pairing of type and fields (a failed event needs its error) and strips nothing: the
  // schemas are strict, so a mistake here fails loudly instead of sending an odd payload.
  return WebhookEventSchema.parse({
    id: options.eventId ?? newWebhookEventId(),
    type,
    timestamp: (options.now ?? new Date()).toISOString(),
    data: { editId: edit.id, status: EDIT_EVENT_STATUS[type], links, ...error },
  });
}

function withTrailingSlash(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}
