/**
 * Starts the edit workers for some tiers in this process: the extractor worker (cpu), the diffusion worker
 * (gpu: renders, and the video chunks of the diffusion generator with FORD and ffmpeg when it has a pack), the
 * video worker (video: FORD, the warp generator and ffmpeg), or all in the embedded mode. Repositories are built here; everything else takes them as
 * parameters.
 */
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { FaceAnalyzer } from '@facex/analysis';
import { WarpGenerator } from '@facex/warp';
import type { FrameRenderer } from '@facex/video';
import type { QueueTier } from '@facex/contracts';
import { GeneratorRegistry, referenceGenerator, type Generator } from '@facex/generators';
import {
  QUEUE_NAMES,
  createRedis,
  enqueueWebhookEvent,
  registerHandlers,
  settleStartUp,
  shutdownInOrder,
  startTierWorkers,
  type JobHandlers,
  type RetryPolicy,
  type WorkerSettings,
} from '@facex/queue';
import type { BlobStore } from '@facex/storage';
import { createLogger, logConnectionErrors, type Logger } from '@facex/logging';
import type { JobName } from '@facex/contracts';
import { EditLifecycle } from './edit-lifecycle';
import { DEFAULT_RESULT_TTL_SECONDS } from './retention';
import { NO_METRICS, type EditEvents, type FaceAnalyzerPort, type PipelineMetrics } from './ports';
import { AssetIndex } from './repositories/asset-index';
import { EditRepository } from './repositories/edit-repository';
import { RepresentationRepository } from './repositories/representation-repository';
import { createStageHandlers, failEditOnFinalFailure } from './stage-handlers';
import { DiffusionGenerator } from '@facex/diffusion';
import { createVideoHandlers, diffusionChunkRendering, unservedVideoGenerator, warpChunkRendering, type VideoDeps } from './video-handlers';

export const DEFAULT_RESULT_TTL_MS = DEFAULT_RESULT_TTL_SECONDS * 1000;

export interface WorkersConfig {
  redisUrl: string;
  /** Namespaces BullMQ keys (`<prefix>:<queue>:…`) and the repositories' keys (`<prefix>:…`). */
  prefix: string;
  blobs: BlobStore;
  tiers: QueueTier[];
  /** FORD for the cpu tier; opened from the default model pack (`analyzerThreads` threads) when absent. */
  analyzer?: FaceAnalyzerPort;
  analyzerThreads?: number;
  /** The video tier's renderer (default: a warp generator with `videoWarpThreads` threads, default 2). */
  videoRenderer?: FrameRenderer;
  videoWarpThreads?: number;
  /** Generators for the gpu tier (default: `reference`); a `diffusion` one also renders the diffusion edits' video chunks there. */
  generators?: Generator[];
  /** Handlers for other jobs a tier carries (the webhook engineer's `webhook`). */
  extraHandlers?: JobHandlers;
  /** Default: a `webhook` job per event of an edit that has a webhookUrl. */
  events?: EditEvents;
  metrics?: PipelineMetrics;
  /** Where connection errors are logged (default: the `worker` component's structured log). */
  logger?: Logger;
  resultTtlMs?: number;
  /** How long cached representations and their aligned crops live (default: resultTtlMs). */
  representationTtlMs?: number;
  retry?: Partial<Record<JobName, RetryPolicy>>;
  worker?: Omit<WorkerSettings, 'connection' | 'prefix'>;
}

export interface RunningWorkers {
  workers: Worker[];
  redis: Redis;
  ready(): boolean;
  /** Stops taking jobs, waits for the in-flight ones, closes the analyzer and connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * A `webhook` job per terminal event of every edit: besides the edit's own webhookUrl, the tenant's
 * registered endpoints may want it (the handler finds the targets, and completes at once when there are none).
 */
export function webhookQueueEvents(queue: Queue): EditEvents {
  return {
    emit: async (edit, type) => {
      await enqueueWebhookEvent(queue, edit.id, edit.tenant, type);
    },
  };
}

/** The repositories over one Redis connection and blob store, keyed under `prefix`. */
export function createRepositories(redis: Redis, prefix: string, blobs: BlobStore) {
  const assets = new AssetIndex(redis, `${prefix}:`);
  return {
    edits: new EditRepository(redis, `${prefix}:`),
    assets,
    representations: new RepresentationRepository(redis, `${prefix}:`, blobs, assets),
  };
}

export async function startWorkers(config: WorkersConfig): Promise<RunningWorkers> {
  const redis = createRedis(config.redisUrl);
  const webhookQueue = new Queue(QUEUE_NAMES.webhook, { connection: redis, prefix: config.prefix });
  // BullMQ re-emits connection failures (a Redis restart, a close racing a worker's start-up) as 'error'
  // events; one with no listener would crash the process, so each is logged and the clients retry.
  const logger = config.logger ?? createLogger('worker');
  logConnectionErrors(redis, logger, 'redis');
  logConnectionErrors(webhookQueue, logger, 'webhook queue');
  const metrics = config.metrics ?? NO_METRICS;
  const { edits, representations } = createRepositories(redis, config.prefix, config.blobs);
  const lifecycle = new EditLifecycle(edits, config.events ?? webhookQueueEvents(webhookQueue), metrics);
  const video = config.tiers.includes('video');
  const gpu = config.tiers.includes('gpu');
  const diffusion = gpu ? config.generators?.find((generator): generator is DiffusionGenerator => generator instanceof DiffusionGenerator) : undefined;
  // The video tier, and the gpu tier for the diffusion generator's chunks, run FORD on every frame themselves.
  const framesAnalyzed = video || diffusion !== undefined;
  const ownAnalyzer =
    (config.tiers.includes('cpu') && !config.analyzer) || framesAnalyzed ? await FaceAnalyzer.open({ workers: config.analyzerThreads }) : undefined;
  const ownWarp = video && !config.videoRenderer ? await WarpGenerator.open({ workers: config.videoWarpThreads ?? 2 }) : undefined;
  const analyzer: FaceAnalyzerPort | undefined =
    config.analyzer ??
    (ownAnalyzer && {
      packVersion: ownAnalyzer.manifest.version,
      analyzeWithCrop: (bytes: Uint8Array, face: number) => ownAnalyzer.analyzeWithCrop(bytes, face),
      analyzeAllWithCrops: (bytes: Uint8Array) => ownAnalyzer.analyzeAllWithCrops(bytes),
    });
  if (config.tiers.includes('cpu') && analyzer) await representations.publishPackVersion(analyzer.packVersion);
  const stageHandlers = createStageHandlers({
    blobs: config.blobs,
    representations,
    lifecycle,
    metrics,
    resultTtlMs: config.resultTtlMs ?? DEFAULT_RESULT_TTL_MS,
    representationTtlMs: config.representationTtlMs ?? config.resultTtlMs ?? DEFAULT_RESULT_TTL_MS,
    ...(config.tiers.includes('cpu') && analyzer ? { analyzer } : {}),
    ...(config.tiers.includes('gpu') ? { generators: new GeneratorRegistry(config.generators ?? [referenceGenerator]) } : {}),
  });
  const renderers: VideoDeps['renderers'] = {
    ...(video ? { warp: warpChunkRendering(config.videoRenderer ?? (ownWarp as WarpGenerator)) } : {}),
    ...(diffusion ? { diffusion: diffusionChunkRendering(diffusion) } : {}),
  };
  const videoHandlers: JobHandlers =
    framesAnalyzed && ownAnalyzer
      ? createVideoHandlers({ blobs: config.blobs, lifecycle, analyzer: ownAnalyzer, renderers, resultTtlMs: config.resultTtlMs ?? DEFAULT_RESULT_TTL_MS })
      : gpu
        ? // A gpu worker without a diffusion pack refuses the diffusion chunks a misconfigured gateway sends it.
          {
            'video-chunk': async (payload) => {
              throw unservedVideoGenerator(payload.options.generator, []);
            },
          }
        : {};
  let set;
  try {
    set = registerHandlers(config.tiers, { ...stageHandlers, ...videoHandlers, ...config.extraHandlers }, failEditOnFinalFailure(lifecycle));
  } catch (error) {
    await Promise.all([ownAnalyzer?.close(), ownWarp?.close(), webhookQueue.close()]);
    redis.disconnect();
    throw error;
  }
  const workers = startTierWorkers(set, { ...config.worker, connection: redis, prefix: config.prefix });
  for (const worker of workers) logConnectionErrors(worker, logger, `worker ${worker.name}`);
  let closing = false;
  const close = shutdownInOrder([
    [{ close: () => settleStartUp([...workers, webhookQueue]) }],
    workers,
    [webhookQueue, ...(ownAnalyzer ? [ownAnalyzer] : []), ...(ownWarp ? [ownWarp] : [])],
    [{ close: async () => void (await redis.quit()) }],
  ]);
  return {
    workers,
    redis,
    ready: () => !closing && workers.every((worker) => worker.isRunning()),
    close: () => {
      closing = true;
      return close();
    },
  };
}
