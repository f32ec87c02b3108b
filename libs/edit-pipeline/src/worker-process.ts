/**
 * A worker process: workers for some tiers, the health/metrics server, graceful shutdown on SIGTERM/SIGINT.
 * Configuration from the environment:
 *   REDIS_URL (default redis://127.0.0.1:6379), FACEX_QUEUE_PREFIX (default facex),
 *   S3_BUCKET + S3_* or FACEX_STORAGE_DIR (see @facex/storage blobStoreFromEnv),
 *   WORKER_CONCURRENCY (jobs in flight per tier, default 1), ANALYZER_THREADS (default: one per core),
 *   RESULT_TTL_SECONDS (default 86400), REPRESENTATION_TTL_SECONDS (default: the result TTL), PORT (health server, default 9464),
 *   on render workers the generators' settings (see open-generators.ts; with a diffusion pack they also open FORD,
 *   ANALYZER_THREADS threads, for the frames of diffusion video chunks), on video workers FACEX_WARP_THREADS
 *   (the warp generator's threads, default 2).
 */
import type { QueueTier } from '@facex/contracts';
import { createMetrics } from '@facex/metrics';
import { onShutdownSignals, positiveIntFromEnv, startHealthServer } from '@facex/queue';
import { blobStoreFromEnv } from '@facex/storage';
import { openGenerators } from './open-generators';
import { retentionFromEnv } from './retention';
import { promPipelineMetrics } from './prom-metrics';
import { startWorkers, type RunningWorkers } from './start-workers';

export async function runWorkerProcess(tiers: QueueTier[], env: NodeJS.ProcessEnv = process.env): Promise<RunningWorkers> {
  const concurrency = positiveIntFromEnv(env, 'WORKER_CONCURRENCY') ?? 1;
  const port = positiveIntFromEnv(env, 'PORT') ?? 9464;
  const retention = retentionFromEnv(env);
  const threads = positiveIntFromEnv(env, 'ANALYZER_THREADS');
  const metrics = createMetrics(`worker-${tiers.join('-')}`);
  const opened = tiers.includes('gpu') ? await openGenerators(env) : undefined;
  const running = await startWorkers({
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    prefix: env['FACEX_QUEUE_PREFIX'] ?? 'facex',
    blobs: blobStoreFromEnv(env),
    tiers,
    ...(opened ? { generators: opened.generators } : {}),
    ...(threads ? { analyzerThreads: threads } : {}),
    ...(tiers.includes('video') ? { videoWarpThreads: positiveIntFromEnv(env, 'FACEX_WARP_THREADS') ?? 2 } : {}),
    metrics: promPipelineMetrics(metrics),
    resultTtlMs: retention.resultTtlSeconds * 1000,
    representationTtlMs: retention.representationTtlSeconds * 1000,
    worker: { concurrency: Object.fromEntries(tiers.map((tier) => [tier, concurrency])) },
  });
  const health = await startHealthServer({
    port,
    ready: running.ready,
    metrics: () => metrics.scrape(),
  });
  onShutdownSignals(async () => {
    await running.close();
    await opened?.close();
    await health.close();
  });
  return running;
}
