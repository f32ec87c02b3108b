/**
 * Verifying the gateway's webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`,
 * HMAC-SHA256 over `id.timestamp.body`, five minutes of tolerance) with the reference `standardwebhooks` library.
 */
import { Webhook, WebhookVerificationError as LibraryVerificationError } from 'standardwebhooks';
import { WebhookVerificationError } from './errors.js';
import type { components } from './generated/openapi.js';

export type WebhookEvent =
  components['schemas']['Event_edit_completed'] | components['schemas']['Event_edit_failed'] | components['schemas']['Event_edit_canceled'];

/**
 * The verified event of a delivery. `payload` must be the raw body exactly as received (not re-serialised JSON);
 * `headers` a Fetch Headers object or a plain header record (Node's `IncomingMessage.headers`).
 */
export function verifyWebhook(secret: string, payload: string | Uint8Array, headers: Headers | Record<string, string | string[] | undefined>): WebhookEvent {
  const record: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => (record[name.toLowerCase()] = value));
  } else {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  try {
    return new Webhook(secret).verify(body, record) as WebhookEvent;
  } catch (error) {
    if (error instanceof LibraryVerificationError) throw new WebhookVerificationError(error.message);
    throw error;
  }
}
