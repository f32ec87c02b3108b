import { createMetrics, type QueueCounts } from './create-metrics';
import { METRIC_NAME_LIST } from './metric-names';

/** The value of the series `sample` (default: the metric itself) of `metric` whose labels include `labels`. */
async function sampleValue(
  metrics: ReturnType<typeof createMetrics>,
  metric: string,
  labels: Record<string, string>,
  sample = metric,
): Promise<number | undefined> {
  const values = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === metric)?.values ?? [];
  return values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? metric) === sample &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
  )?.value;
}

describe('createMetrics', () => {
  it('exposes every FaceX metric with HELP and TYPE lines, plus the default process metrics', async () => {
    const { body, contentType } = await createMetrics('gateway').scrape();
    expect(contentType).toMatch(/^text\/plain/);
    for (const name of METRIC_NAME_LIST) {
      expect(body).toContain(`# HELP ${name} `);
      expect(body).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
    expect(body).toContain('# TYPE process_cpu_seconds_total counter');
    expect(body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('follows Prometheus naming: facex_ prefix, counters and only counters end in _total, histograms in _seconds', async () => {
    const ours = (await createMetrics('gateway', { defaultMetrics: false }).registry.getMetricsAsJSON()).filter((m) =>
      (METRIC_NAME_LIST as readonly string[]).includes(m.name),
    );
    expect(ours.map((m) => m.name).sort()).toEqual([...METRIC_NAME_LIST].sort());
    for (const { name, type } of ours) {
      expect(name).toMatch(/^facex_[a-z_]+$/);
      expect(name.endsWith('_total')).toBe(String(type) === 'counter');
      if (String(type) === 'histogram') expect(name).toMatch(/_seconds$/);
    }
  });

  it('records labelled observations and tags every series with the service', async () => {
    const metrics = createMetrics('gateway', { defaultMetrics: false });
    metrics.observeHttpRequest({ method: 'GET', route: '/v1/edits/:id', status: 200 }, 0.042);
    metrics.observeHttpRequest({ method: 'GET', route: '/v1/edits/:id', status: 200 }, 0.3);
    metrics.countCacheRequest('hit');
    metrics.countCacheRequest('hit');
    metrics.countCacheRequest('miss');
    metrics.countWebhookDelivery('retryable');
    metrics.countEdit('completed');
    metrics.countGeneratorSteps(30);
    metrics.observeQueueWait('gpu', 4.5);

    const httpLabels = { method: 'GET', route: '/v1/edits/:id', status: '200', service: 'gateway' };
    expect(await sampleValue(metrics, 'facex_http_request_duration_seconds', httpLabels, 'facex_http_request_duration_seconds_count')).toBe(2);
    expect(await sampleValue(metrics, 'facex_http_request_duration_seconds', { ...httpLabels, le: '0.05' }, 'facex_http_request_duration_seconds_bucket')).toBe(
      1,
    );
    expect(await sampleValue(metrics, 'facex_representation_cache_requests_total', { result: 'hit' })).toBe(2);
    expect(await sampleValue(metrics, 'facex_representation_cache_requests_total', { result: 'miss' })).toBe(1);
    expect(await sampleValue(metrics, 'facex_webhook_deliveries_total', { outcome: 'retryable' })).toBe(1);
    expect(await sampleValue(metrics, 'facex_edits_total', { status: 'completed' })).toBe(1);
    expect(await sampleValue(metrics, 'facex_generator_steps_total', {})).toBe(30);
    expect(await sampleValue(metrics, 'facex_queue_wait_seconds', { queue: 'gpu' }, 'facex_queue_wait_seconds_sum')).toBe(4.5);
  });

  it('reads queue depth only when scraped, one series per queue and state', async () => {
    let reads = 0;
    let counts: QueueCounts = { cpu: { waiting: 3, active: 2 }, gpu: { waiting: 12, active: 1, delayed: 4, failed: 7 } };
    const metrics = createMetrics('gateway', {
      defaultMetrics: false,
      queueCounts: async () => {
        reads++;
        return counts;
      },
    });
    expect(reads).toBe(0);
    const { body } = await metrics.scrape();
    expect(reads).toBe(1);
    expect(body).toContain('facex_queue_jobs{queue="gpu",state="waiting",service="gateway"} 12');
    expect(body).toContain('facex_queue_jobs{queue="cpu",state="failed",service="gateway"} 0');

    counts = { gpu: { waiting: 1 } };
    const next = await metrics.scrape();
    expect(reads).toBe(2);
    expect(next.body).toContain('facex_queue_jobs{queue="gpu",state="waiting",service="gateway"} 1');
    expect(next.body).not.toContain('queue="cpu"');
  });

  it('leaves queue depth empty instead of failing the scrape when the counts cannot be read', async () => {
    const metrics = createMetrics('gateway', {
      defaultMetrics: false,
      queueCounts: () => Promise.reject(new Error('redis down')),
    });
    const { body } = await metrics.scrape();
    expect(body).toContain('# TYPE facex_queue_jobs gauge');
    expect(body).not.toMatch(/^facex_queue_jobs\{/m);
    expect(body).toContain('# TYPE facex_edits_total counter');
  });

  it('times a stage with its outcome and rethrows failures', async () => {
    const metrics = createMetrics('render-worker', { defaultMetrics: false });
    await expect(metrics.timeStage('render', async () => 'ok')).resolves.toBe('ok');
    await expect(metrics.timeStage('render', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const count = (outcome: string) => sampleValue(metrics, 'facex_stage_duration_seconds', { stage: 'render', outcome }, 'facex_stage_duration_seconds_count');
    expect(await count('success')).toBe(1);
    expect(await count('failure')).toBe(1);
  });

  it('keeps registries of different services apart', async () => {
    const gateway = createMetrics('gateway', { defaultMetrics: false });
    const worker = createMetrics('extractor-worker', { defaultMetrics: false });
    gateway.countEdit('failed');
    expect(await sampleValue(gateway, 'facex_edits_total', { status: 'failed' })).toBe(1);
    expect(await sampleValue(worker, 'facex_edits_total', { status: 'failed' })).toBeUndefined();
  });
});
