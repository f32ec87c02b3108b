/**
 * The in-process pipeline shared by the embedded mode and the CLI: Redis (started when none answers),
 * filesystem storage under FACEX_STORAGE_DIR (default ./data), and the cpu, gpu and video workers in this
 * process with every generator the environment enables (reference, warp, diffusion with a pack); the video
 * tier (FORD, its own warp generator and ffmpeg) runs a video edit's chunks and mux.
 */
import { openGenerators, retentionFromEnv, startWorkers, promPipelineMetrics, type RunningWorkers } from '@facex/edit-pipeline';
import type { QueueTier } from '@facex/contracts';
import type { FacexMetrics } from '@facex/metrics';
import { FsBlobStore } from '@facex/storage';
import type { GatewayConfig } from '../config/gateway-config';
import { generatorInfoOf, type GeneratorInfo } from '../services/task-catalog';
import { ensureRedis, type LocalRedis } from './ensure-redis';
import { createLogger } from '@facex/logging';

export interface LocalPipeline {
  blobs: FsBlobStore;
  dataDir: string;
  redis: LocalRedis;
  generators: GeneratorInfo[];
  /** Starts the workers (every tier unless `tiers` says); the metrics facade is the gateway's so one /metrics shows everything. */
  startWorkers(metrics?: FacexMetrics, tiers?: QueueTier[]): Promise<RunningWorkers>;
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;
const LOCAL_TIERS: QueueTier[] = ['cpu', 'gpu', 'video'];

export async function openLocalPipeline(config: GatewayConfig, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<LocalPipeline> {
  const redis = await ensureRedis(config.redisUrl, log);
  const dataDir = env['FACEX_STORAGE_DIR'] ?? 'data';
  const blobs = new FsBlobStore(dataDir);
  const opened = await openGenerators(env);
  const { generators } = opened;
  const threads = env['ANALYZER_THREADS'] ? Number(env['ANALYZER_THREADS']) : undefined;
  const retention = retentionFromEnv(env);
  // Results expire; the filesystem has no lifecycle rule, so sweep now and then.
  const logger = createLogger('storage');
  const sweeper = setInterval(
    () => void blobs.sweepExpired().catch((error: unknown) => logger.warn({ err: error }, 'sweeping expired blobs failed (retried next interval)')),
    SWEEP_INTERVAL_MS,
  );
  sweeper.unref();
  let workers: RunningWorkers | undefined;
  return {
    blobs,
    dataDir,
    redis,
    generators: generators.map(generatorInfoOf),
    startWorkers: async (metrics, tiers = LOCAL_TIERS) => {
      workers = await startWorkers({
        redisUrl: config.redisUrl,
        prefix: config.prefix,
        blobs,
        tiers,
        generators,
        ...(threads ? { analyzerThreads: threads } : {}),
        resultTtlMs: retention.resultTtlSeconds * 1000,
        representationTtlMs: retention.representationTtlSeconds * 1000,
        ...(metrics ? { metrics: promPipelineMetrics(metrics) } : {}),
      });
      return workers;
    },
    close: async () => {
      clearInterval(sweeper);
      await workers?.close();
      await opened.close();
      await redis.close();
    },
  };
}
