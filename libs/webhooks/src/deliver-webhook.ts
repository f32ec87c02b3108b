/**
 * One delivery attempt of one event to one endpoint: signed, SSRF-checked, sent to the checked address with
 * a deadline, and classified. Never throws for delivery problems; the outcome says what happened.
 */
import { isFacexError, type WebhookEvent } from '@facex/contracts';
import { assertPublicUrl, sendPinned, type UrlPolicy } from '@facex/net-guard';
import { classifyResponseStatus, type DeliveryOutcome } from './delivery-outcome';
import { signWebhook } from './sign-webhook';

export interface DeliverWebhookOptions {
  readonly timeoutMs: number;
  /** The SSRF policy; the default blocks every private range. */
  readonly policy?: UrlPolicy;
  readonly now?: () => Date;
}

const USER_AGENT = 'FaceX-Webhooks/1.0';

export async function deliverWebhook(
  endpoint: string,
  event: WebhookEvent,
  secret: string | readonly string[],
  options: DeliverWebhookOptions,
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const signed = signWebhook(secret, event, (options.now ?? (() => new Date()))());
    const target = await assertPublicUrl(endpoint, { ...options.policy, field: 'webhook.url' }, signal);
    const response = await sendPinned(target, {
      method: 'POST',
      headers: { ...signed.headers, 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: signed.body,
      signal,
      field: 'webhook.url',
    });
    // The receiver's body is not needed; with a one-off connection, destroying it frees the socket at once.
    response.body.destroy();
    return {
      verdict: classifyResponseStatus(response.status),
      status: response.status,
      reason: `HTTP ${response.status}`,
      durationMs: elapsed(),
    };
  } catch (error) {
    if (!isFacexError(error)) throw error;
    return {
      verdict: error.retryable ? 'retryable' : 'failed_permanently',
      reason: `${error.code}: ${error.message}`,
      durationMs: elapsed(),
    };
  }
}
