/**
 * Every metric the services export, by Prometheus naming rules: `facex_` prefix, base units (seconds),
 * `_total` on counters. Alert rules and dashboards must only use names listed here (or the default process
 * metrics, `process_*` and `nodejs_*`).
 */
export const METRIC_NAMES = {
  httpRequestDuration: 'facex_http_request_duration_seconds',
  queueJobs: 'facex_queue_jobs',
  queueWait: 'facex_queue_wait_seconds',
  stageDuration: 'facex_stage_duration_seconds',
  representationCacheRequests: 'facex_representation_cache_requests_total',
  webhookDeliveries: 'facex_webhook_deliveries_total',
  edits: 'facex_edits_total',
  generatorSteps: 'facex_generator_steps_total',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

export const METRIC_NAME_LIST: readonly MetricName[] = Object.values(METRIC_NAMES);

/** The label values each labelled metric takes; fixed sets keep cardinality bounded. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const STAGE_OUTCOMES = ['success', 'failure'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

export const CACHE_RESULTS = ['hit', 'miss'] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

/** The verdicts of `@facex/webhooks` deliveries. */
export const WEBHOOK_OUTCOMES = ['delivered', 'failed_permanently', 'retryable'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** Edits are counted when they reach a terminal status. */
export const EDIT_OUTCOMES = ['completed', 'failed', 'canceled'] as const;
export type EditOutcome = (typeof EDIT_OUTCOMES)[number];
