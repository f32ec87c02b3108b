/** PipelineMetrics on the @facex/metrics facade: workers and the gateway export the same metric names. */
import { QUEUE_OF_JOB } from '@facex/contracts';
import type { FacexMetrics } from '@facex/metrics';
import { QUEUE_NAMES } from '@facex/queue';
import type { PipelineMetrics } from './ports';

export function promPipelineMetrics(metrics: FacexMetrics): PipelineMetrics {
  return {
    representationCache: (hit) => metrics.countCacheRequest(hit ? 'hit' : 'miss'),
    stageFinished: (stage, outcome, seconds) => metrics.observeStage(stage, outcome === 'ok' ? 'success' : 'failure', seconds),
    queueWaited: (stage, seconds) => metrics.observeQueueWait(QUEUE_NAMES[QUEUE_OF_JOB[stage]], seconds),
    generatorSteps: (steps) => metrics.countGeneratorSteps(steps),
    editFinished: (status) => metrics.countEdit(status),
  };
}
