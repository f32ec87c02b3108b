/**
 * A real Prometheus on loopback scrapes the services' /metrics (the workers' health server from @facex/queue
 * serving @facex/metrics registries, in this process), evaluates the PrometheusRule's rules, and answers an
 * instant query for every rule expression without error.
 */
import { createMetrics, type FacexMetrics } from '@facex/metrics';
import { QUEUE_NAMES, startHealthServer } from '@facex/queue';
import { findTool, missingToolMessage } from './binaries';
import { instantQuery, ruleHealth, startPrometheus, waitForRuleEvaluations, waitForTargetsUp, type RunningPrometheus } from './prometheus-server';
import { allRules, dashboardExpressions, loadRuleGroups } from './rules';

const prometheusBinary = findTool('prometheus');

/** The services as the ServiceMonitor names their jobs, each with a little traffic recorded. */
function serviceMetrics(): Record<string, FacexMetrics> {
  const gateway = createMetrics('gateway', {
    queueCounts: async () => ({ [QUEUE_NAMES.cpu]: { waiting: 3, active: 2 }, [QUEUE_NAMES.gpu]: { waiting: 12, active: 4, delayed: 1 }, [QUEUE_NAMES.webhook]: { waiting: 5, delayed: 2 } }),
  });
  gateway.observeHttpRequest({ method: 'POST', route: '/v1/edits', status: 202 }, 0.04);
  gateway.observeHttpRequest({ method: 'GET', route: '/v1/edits/:id', status: 500 }, 0.01);
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
  return { 'facex-gateway': gateway, 'facex-webhook-worker': webhooks, 'facex-extractor-worker': extractor, 'facex-diffusion-worker': diffusion };
}

(prometheusBinary ? describe : describe.skip)(prometheusBinary ? `Prometheus (${prometheusBinary}) scraping the services` : missingToolMessage('prometheus'), () => {
  const groups = loadRuleGroups();
  const servers: Array<{ close(): Promise<void> }> = [];
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    const targets = [];
    for (const [job, metrics] of Object.entries(serviceMetrics())) {
      const server = await startHealthServer({ port: 0, host: '127.0.0.1', ready: () => true, metrics: () => metrics.scrape() });
      servers.push(server);
      targets.push({ job, port: server.port });
    }
    prometheus = await startPrometheus(prometheusBinary as string, targets, groups);
    await waitForTargetsUp(prometheus, targets.map((target) => target.job));
    await waitForRuleEvaluations(prometheus);
  }, 45_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(servers.map((server) => server.close()));
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

  it('records queue depth from the scraped series and sees every target up', async () => {
    const depth = await instantQuery(prometheus as RunningPrometheus, 'facex:queue_jobs:max{queue="facex-gpu", state="waiting"}');
    expect(depth.samples.map((sample) => sample.value)).toEqual([12]);
    const up = await instantQuery(prometheus as RunningPrometheus, 'sum(up{job=~"facex-.*"})');
    expect(up.samples.map((sample) => sample.value)).toEqual([4]);
  });

  it('reports a broken expression as an error (the query check can fail)', async () => {
    const result = await instantQuery(prometheus as RunningPrometheus, 'sum(rate(facex_edits_total[5m])');
    expect(result.status).toBe('error');
  });
});
