/**
 * A webhook delivery worker on its own (for gateways run with WEBHOOK_CONCURRENCY=0): serves `facex-webhook`,
 * exports metrics on its health server. PUBLIC_BASE_URL (the API origin the event links point at) is required.
 * Other settings: gatewayConfigFromEnv (REDIS_URL, FACEX_QUEUE_PREFIX, WEBHOOK_*, FACEX_ALLOW_PRIVATE_URLS),
 * HEALTH_PORT (default 9465).
 */
import { EditRepository } from '@facex/edit-pipeline';
import { createMetrics } from '@facex/metrics';
import { createRedis, onShutdownSignals, startHealthServer } from '@facex/queue';
import { gatewayConfigFromEnv, ApiKeyRepository, WebhookEndpointRepository, startWebhookDelivery } from '@facex/gateway-core';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const config = gatewayConfigFromEnv(env);
  if (!config.publicBaseUrl) throw new Error('PUBLIC_BASE_URL: required (webhook events link to the API)');
  const redis = createRedis(config.redisUrl);
  const metrics = createMetrics('webhook-worker');
  const keyPrefix = `${config.prefix}:`;
  const running = startWebhookDelivery({
    config,
    edits: new EditRepository(redis, keyPrefix),
    keys: new ApiKeyRepository(redis, keyPrefix),
    endpoints: new WebhookEndpointRepository(redis, keyPrefix),
    metrics,
    linksBaseUrl: config.publicBaseUrl,
  });
  const health = await startHealthServer({
    port: Number(env['HEALTH_PORT'] ?? 9465),
    ready: () => running.worker.isRunning(),
    metrics: () => metrics.scrape(),
  });
  onShutdownSignals(async () => {
    await running.close();
    await health.close();
    await redis.quit();
  });
}

main(process.env).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
