/** Webhook delivery wired up: the SSRF-guarded delivery service, the job handler and its worker, with metrics. */
import type { EditRepository } from '@facex/edit-pipeline';
import type { FacexMetrics } from '@facex/metrics';
import { QUEUE_NAMES } from '@facex/queue';
import { WebhookDeliveryService } from '@facex/webhooks';
import { urlPolicyOf, type GatewayConfig } from '../config/gateway-config';
import type { ApiKeyRepository } from '../repositories/api-key-repository';
import type { WebhookEndpointRepository } from '../repositories/webhook-endpoint-repository';
import { createWebhookJobHandler } from './webhook-job-handler';
import { startWebhookWorker, type RunningWebhookWorker } from './webhook-worker';

export interface WebhookDeliveryDeps {
  config: GatewayConfig;
  edits: EditRepository;
  keys: ApiKeyRepository;
  endpoints: WebhookEndpointRepository;
  metrics: FacexMetrics;
  linksBaseUrl: string;
}

export function startWebhookDelivery(deps: WebhookDeliveryDeps): RunningWebhookWorker {
  const { config, metrics } = deps;
  const delivery = new WebhookDeliveryService({
    timeoutMs: config.webhookTimeoutMs,
    policy: urlPolicyOf(config, 'options.webhookUrl'),
    onOutcome: (outcome) => metrics.countWebhookDelivery(outcome.verdict),
  });
  return startWebhookWorker({
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    concurrency: Math.max(1, config.webhookConcurrency),
    handler: createWebhookJobHandler({
      edits: deps.edits,
      keys: deps.keys,
      endpoints: deps.endpoints,
      delivery,
      linksBaseUrl: deps.linksBaseUrl,
      logTtlSeconds: config.retention.resultTtlSeconds,
    }),
    onQueueWait: (seconds) => metrics.observeQueueWait(QUEUE_NAMES.webhook, seconds),
  });
}
