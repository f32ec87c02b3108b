/**
 * Standard Webhooks signing (the `standardwebhooks` package): the signature covers `id.timestamp.body`, so
 * the exact body string signed here is the one that must be sent.
 */
import { Webhook } from 'standardwebhooks';
import { FacexError, WebhookSecretSchema, type WebhookEvent } from '@facex/contracts';

export interface SignedWebhook {
  /** The exact bytes to send; re-serialising the event would break the signature. */
  readonly body: string;
  readonly headers: {
    readonly 'webhook-id': string;
    readonly 'webhook-timestamp': string;
    readonly 'webhook-signature': string;
  };
}

/**
 * Signs `event` with the `whsec_` secret, or with each of several secrets (a rotation's overlap: the new and
 * the previous secret), space-separated in one `webhook-signature` header as the Standard Webhooks spec
 * describes, so a receiver holding either secret verifies it. `sentAt` is the time of this attempt, not of
 * the event: receivers reject timestamps outside a few minutes, and a retry may come hours later.
 */
export function signWebhook(secret: string | readonly string[], event: WebhookEvent, sentAt: Date): SignedWebhook {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0 || secrets.some((one) => !WebhookSecretSchema.safeParse(one).success)) {
    throw new FacexError('invalid_webhook_secret', 'secret: expected a Standard Webhooks secret (whsec_<base64>)', {
      field: 'secret',
    });
  }
  const body = JSON.stringify(event);
  const signature = secrets.map((one) => new Webhook(one).sign(event.id, sentAt, body)).join(' ');
  return {
    body,
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}
