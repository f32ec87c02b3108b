/**
 * One prom-client Registry per service with the default process metrics and FaceX's own, behind a typed
 * facade so callers cannot misspell a metric or a label. Queue depth is read lazily, on scrape, from a
 * function the caller supplies (BullMQ `getJobCounts`), so this library does not depend on the queue.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_NAMES, QUEUE_STATES, type CacheResult, type EditOutcome, type QueueState, type StageOutcome, type WebhookOutcome } from './metric-names';

/** Job counts per queue name, per state, as BullMQ's `Queue.getJobCounts(...QUEUE_STATES)` returns them. */
export type QueueCounts = Readonly<Record<string, Readonly<Partial<Record<QueueState, number>>>>>;
export type QueueCountsReader = () => Promise<QueueCounts>;

export interface CreateMetricsOptions {
  /** Called on every scrape to fill `facex_queue_jobs`; without it the gauge stays empty. */
  readonly queueCounts?: QueueCountsReader;
  /** The `process_*` / `nodejs_*` metrics; on by default. */
  readonly defaultMetrics?: boolean;
}

export interface HttpRequestLabels {
  readonly method: string;
  /** The route template (`/v1/edits/:id`), never the raw path: raw ids would explode the series count. */
  readonly route: string;
  readonly status: number;
}

export interface FacexMetrics {
  readonly registry: Registry;
  observeHttpRequest(labels: HttpRequestLabels, seconds: number): void;
  /** Time a job spent queued before a worker took it. */
  observeQueueWait(queue: string, seconds: number): void;
  observeStage(stage: string, outcome: StageOutcome, seconds: number): void;
  /** Runs `work`, recording its duration under `stage` with the outcome it ended in. */
  timeStage<T>(stage: string, work: () => Promise<T>): Promise<T>;
  countCacheRequest(result: CacheResult): void;
  countWebhookDelivery(outcome: WebhookOutcome): void;
  countEdit(outcome: EditOutcome): void;
  countGeneratorSteps(steps: number): void;
  /** The exposition text and its content type, for `GET /metrics`. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Queue waits and stages run from milliseconds (cache hits) to minutes (diffusion on CPU). */
const LONG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function createMetrics(service: string, options: CreateMetricsOptions = {}): FacexMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequestDuration = new Histogram({
    name: METRIC_NAMES.httpRequestDuration,
    help: 'HTTP request latency by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const readQueueCounts = options.queueCounts;
  new Gauge({
    name: METRIC_NAMES.queueJobs,
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read on scrape.',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      // Reset first: a queue that disappeared must not keep reporting its last depth.
      this.reset();
      if (!readQueueCounts) return;
      let counts: QueueCounts;
      try {
        counts = await readQueueCounts();
      } catch {
        // Queue store unreachable: leave the gauge empty (alert on its absence) rather than fail the scrape.
        return;
      }
      for (const [queue, byState] of Object.entries(counts)) {
        for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
      }
    },
  });
  const queueWait = new Histogram({
    name: METRIC_NAMES.queueWait,
    help: 'Seconds a job waited in its queue before a worker started it.',
    labelNames: ['queue'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const stageDuration = new Histogram({
    name: METRIC_NAMES.stageDuration,
    help: 'Seconds spent in a pipeline stage, by stage and outcome.',
    labelNames: ['stage', 'outcome'] as const,
    buckets: LONG_BUCKETS,
    registers,
  });
  const cacheRequests = new Counter({
    name: METRIC_NAMES.representationCacheRequests,
    help: 'Face representation cache lookups by result (hit or miss).',
    labelNames: ['result'] as const,
    registers,
  });
  const webhookDeliveries = new Counter({
    name: METRIC_NAMES.webhookDeliveries,
    help: 'Webhook delivery attempts by outcome (delivered, failed_permanently, retryable).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const edits = new Counter({
    name: METRIC_NAMES.edits,
    help: 'Edits that reached a terminal status, by status.',
    labelNames: ['status'] as const,
    registers,
  });
  const generatorSteps = new Counter({
    name: METRIC_NAMES.generatorSteps,
    help: 'Denoising steps run by the generator.',
    registers,
  });

  const observeStage = (stage: string, outcome: StageOutcome, seconds: number): void => stageDuration.observe({ stage, outcome }, seconds);

  return {
    registry,
    observeHttpRequest: ({ method, route, status }, seconds) => httpRequestDuration.observe({ method, route, status: String(status) }, seconds),
    observeQueueWait: (queue, seconds) => queueWait.observe({ queue }, seconds),
    observeStage,
    async timeStage(stage, work) {
      const started = performance.now();
      const elapsed = (): number => (performance.now() - started) / 1000;
      try {
        const result = await work();
        observeStage(stage, 'success', elapsed());
        return result;
      } catch (error) {
        observeStage(stage, 'failure', elapsed());
        throw error;
      }
    },
    countCacheRequest: (result) => cacheRequests.inc({ result }),
    countWebhookDelivery: (outcome) => webhookDeliveries.inc({ outcome }),
    countEdit: (status) => edits.inc({ status }),
    countGeneratorSteps: (steps) => generatorSteps.inc(steps),
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
