/**
 * A real Prometheus on loopback scrapes the services' /metrics, evaluates the PrometheusRule's rules, and
 * answers an instant query for every rule and dashboard expression without error. The gateway is the real
 * one (startGateway, on the local Redis under a test prefix, with a render job waiting in its gpu queue); the
 * workers are the workers' health server from @facex/queue serving @facex/metrics registries with some traffic
 * recorded, so that their histograms and counters have series.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createMetrics, type FacexMetrics } from '@facex/metrics';
import { QUEUE_NAMES, startHealthServer } from '@facex/queue';
import { FsBlobStore } from '@facex/storage';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { gatewayConfigFromEnv, generatorsFromEnv } from '@facex/gateway-core';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { findTool, missingToolMessage } from './binaries';
import {
  instantQuery,
  ruleHealth,
  startPrometheus,
  waitForRuleEvaluations,
  waitForSamples,
  waitForTargetsUp,
  type RunningPrometheus,
} from './prometheus-server';
import { allRules, dashboardExpressions, loadRuleGroups } from './rules';

const prometheusBinary = findTool('prometheus');

/** The workers as the ServiceMonitor names their jobs, each with a little traffic recorded. */
function workerMetrics(): Record<string, FacexMetrics> {
  const webhooks = createMetrics('webhook-worker');
  webhooks.observeQueueWait(QUEUE_NAMES.webhook, 0.2);
  webhooks.countWebhookDelivery('delivered');
  const extractor = createMetrics('extractor-worker');
  extractor.observeQueueWait(QUEUE_NAMES.cpu, 0.3);
  extractor.observeStage('extract', 'success', 1.2);
  extractor.countCacheRequest('miss');
  const diffusion = createMetrics('diffusion-worker');
  diffusion.observeQueueWait(QUEUE_NAMES.gpu, 14);
  diffusion.observeStage('render', 'failure', 20);
  diffusion.countGeneratorSteps(30);
  diffusion.countEdit('failed');
  return { 'facex-webhook-worker': webhooks, 'facex-extractor-worker': extractor, 'facex-diffusion-worker': diffusion };
}

(prometheusBinary ? describe : describe.skip)(
  prometheusBinary ? `Prometheus (${prometheusBinary}) scraping the services` : missingToolMessage('prometheus'),
  () => {
    const groups = loadRuleGroups();
    const prefix = testPrefix('deploy-prometheus');
    const servers: Array<{ close(): Promise<void> }> = [];
    // Opened in beforeAll, never in the describe body: jest runs the body of a skipped describe too.
    let redis: IORedis | undefined;
    let storageDir: string | undefined;
    let gateway: RunningGateway | undefined;
    let prometheus: RunningPrometheus | undefined;

    beforeAll(async () => {
      redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      storageDir = mkdtempSync(join(tmpdir(), 'facex-deploy-blobs-'));
      const gpuQueue = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });
      await gpuQueue.add('render', { editId: 'waiting-render' });
      await gpuQueue.close();
      const config = gatewayConfigFromEnv({
        HOST: '127.0.0.1',
        PORT: '0',
        REDIS_URL: TEST_REDIS_URL,
        FACEX_QUEUE_PREFIX: prefix,
        WEBHOOK_CONCURRENCY: '0',
        METRICS_PORT: '0',
      });
      gateway = await startGateway({ config, blobs: new FsBlobStore(storageDir), generators: generatorsFromEnv({}), logLevels: ['error'] });
      // One request, so the gateway's HTTP histogram has a series.
      await fetch(`${gateway.url}/healthz`);
      // The gateway's metrics listener (METRICS_PORT), as the Service's `metrics` port targets it.
      const targets = [{ job: 'facex-gateway', port: Number(new URL(String(gateway.metricsUrl)).port) }];
      for (const [job, metrics] of Object.entries(workerMetrics())) {
        const server = await startHealthServer({ port: 0, host: '127.0.0.1', ready: () => true, metrics: () => metrics.scrape() });
        servers.push(server);
        targets.push({ job, port: server.port });
      }
      prometheus = await startPrometheus(prometheusBinary as string, targets, groups);
      await waitForTargetsUp(
        prometheus,
        targets.map((target) => target.job),
      );
      await waitForRuleEvaluations(prometheus);
    }, 45_000);

    afterAll(async () => {
      await prometheus?.stop();
      await Promise.all(servers.map((server) => server.close()));
      await gateway?.close();
      if (redis) {
        await deleteNamespace(redis, prefix);
        await redis.quit();
      }
      if (storageDir) rmSync(storageDir, { recursive: true, force: true });
    });

    it('evaluates every recording and alerting rule without error', async () => {
      const unhealthy = (await ruleHealth(prometheus as RunningPrometheus)).filter((rule) => rule.health !== 'ok');
      expect(unhealthy).toEqual([]);
    });

    it('answers every rule expression and every dashboard query without error', async () => {
      const expressions = [...allRules(groups).map((rule) => rule.expr), ...dashboardExpressions()];
      const failures = [];
      for (const expr of expressions) {
        const result = await instantQuery(prometheus as RunningPrometheus, expr);
        if (result.status !== 'success') failures.push({ expr, error: result.error });
      }
      expect(failures).toEqual([]);
    });

    it('records the depth the real gateway reads from Redis and sees every target up', async () => {
      const depth = await waitForSamples(prometheus as RunningPrometheus, 'facex:queue_jobs:max{queue="facex-gpu", state="waiting"}');
      expect(depth.samples.map((sample) => sample.value)).toEqual([1]);
      const up = await instantQuery(prometheus as RunningPrometheus, 'sum(up{job=~"facex-.*"})');
      expect(up.samples.map((sample) => sample.value)).toEqual([4]);
    });

    it('reports a broken expression as an error (the query check can fail)', async () => {
      const result = await instantQuery(prometheus as RunningPrometheus, 'sum(rate(facex_edits_total[5m])');
      expect(result.status).toBe('error');
    });
  },
);
