/** PipelineMetrics on the @facex/metrics facade: workers and the gateway export the same metric names. */
import type { FacexMetrics } from '@facex/metrics';
import type { PipelineMetrics } from './ports';

export function promPipelineMetrics(metrics: FacexMetrics): PipelineMetrics {
  return {
    representationCache: (hit) => metrics.countCacheRequest(hit ? 'hit' : 'miss'),
    stageFinished: (stage, outcome, seconds) => metrics.observeStage(stage, outcome === 'ok' ? 'success' : 'failure', seconds),
    editFinished: (status) => metrics.countEdit(status),
  };
}
