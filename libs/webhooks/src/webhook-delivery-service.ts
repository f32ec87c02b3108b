/**
 * What the webhook queue worker calls for each job. Queue-agnostic: a settled outcome is returned (the job
 * completes), a retryable one is thrown as a retryable FacexError so the queue retries it with
 * `webhookBackoff`. The event, and so its id, is the same on every retry: receivers de-duplicate on it.
 */
import { FacexError, type WebhookEvent } from '@facex/contracts';
import type { UrlPolicy } from '@facex/net-guard';
import { deliverWebhook } from './deliver-webhook';
import type { DeliveryOutcome } from './delivery-outcome';

export interface WebhookDelivery {
  /** The tenant's registered endpoint. */
  readonly endpoint: string;
  /** The `whsec_` signing secret, or the secrets valid during a rotation's overlap (each signs). */
  readonly secret: string | readonly string[];
  readonly event: WebhookEvent;
}

export interface SettledDelivery extends DeliveryOutcome {
  readonly verdict: 'delivered' | 'failed_permanently';
}

export interface WebhookDeliveryServiceOptions {
  readonly timeoutMs: number;
  readonly policy?: UrlPolicy;
  /** Sees every attempt's outcome, retryable ones included (metrics, logs). */
  readonly onOutcome?: (outcome: DeliveryOutcome, delivery: WebhookDelivery) => void;
}

export class WebhookDeliveryService {
  constructor(private readonly options: WebhookDeliveryServiceOptions) {}

  async deliver(delivery: WebhookDelivery): Promise<SettledDelivery> {
    const outcome = await deliverWebhook(delivery.endpoint, delivery.event, delivery.secret, this.options);
    this.options.onOutcome?.(outcome, delivery);
    if (outcome.verdict === 'retryable') {
      throw new FacexError('webhook_delivery_failed', `webhook ${delivery.event.id}: ${outcome.reason}`, {
        eventId: delivery.event.id,
        status: outcome.status,
      });
    }
    return { ...outcome, verdict: outcome.verdict };
  }
}
