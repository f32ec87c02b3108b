/**
 * PipelineMetrics on prom-client. Stands in until @facex/metrics lands; the metric names are the ones the
 * dashboards will use.
 */
import { Counter, Histogram, register as defaultRegistry, type Registry } from 'prom-client';
import type { PipelineMetrics } from './ports';

export function promPipelineMetrics(registry: Registry = defaultRegistry): PipelineMetrics {
  const cache = new Counter({ name: 'facex_representation_cache_total', help: 'Representation cache lookups', labelNames: ['result'], registers: [registry] });
  const stages = new Histogram({
    name: 'facex_stage_duration_seconds',
    help: 'Edit stage durations',
    labelNames: ['stage', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const edits = new Counter({ name: 'facex_edits_finished_total', help: 'Edits by final status', labelNames: ['status'], registers: [registry] });
  return {
    representationCache: (hit) => cache.inc({ result: hit ? 'hit' : 'miss' }),
    stageFinished: (stage, outcome, seconds) => stages.observe({ stage, outcome }, seconds),
    editFinished: (status) => edits.inc({ status }),
  };
}
