/**
 * The composition root of the gateway's services: Redis, queues, repositories and services, configured by
 * GatewayConfig. The HTTP gateway (@facex/gateway-http startGateway) serves them; the CLI drives them directly.
 */
import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueTier } from '@facex/contracts';
import { createLogger, logConnectionErrors } from '@facex/logging';
import {
  EditLifecycle,
  EditService,
  bullmqEditFlows,
  bullmqFaceLists,
  createRepositories,
  promPipelineMetrics,
  webhookQueueEvents,
  type EditRepository,
} from '@facex/edit-pipeline';
import { createMetrics, QUEUE_STATES, type FacexMetrics, type QueueCounts } from '@facex/metrics';
import { QUEUE_NAMES, settleStartUp } from '@facex/queue';
import type { BlobStore } from '@facex/storage';
import type { GatewayConfig } from './config/gateway-config';
import { createGatewayRedis } from './redis/gateway-redis';
import { ApiKeyRepository } from './repositories/api-key-repository';
import { IdempotencyRepository } from './repositories/idempotency-repository';
import { RateLimitRepository } from './repositories/rate-limit-repository';
import { TenantAssetRepository } from './repositories/tenant-asset-repository';
import { WebhookEndpointRepository } from './repositories/webhook-endpoint-repository';
import { WebhookEndpointService } from './services/webhook-endpoint-service';
import { ApiKeyService } from './services/api-key-service';
import { AssetService } from './services/asset-service';
import { EditApiService } from './services/edit-api-service';
import { FaceService } from './services/face-service';
import { IdempotencyService } from './services/idempotency-service';
import { RateLimitService } from './services/rate-limit-service';
import { buildTaskCatalog, type GeneratorInfo } from './services/task-catalog';
import type { GatewayContext } from './gateway-context';

export interface GatewayOptions {
  config: GatewayConfig;
  blobs: BlobStore;
  /** The generators the workers serve, with their packs (GET /v1/tasks, the random-weights rule). */
  generators: readonly GeneratorInfo[];
  /** A metrics facade to share (embedded mode: one registry for gateway and workers). */
  metrics?: FacexMetrics;
}

export interface GatewayServices {
  context: GatewayContext;
  redis: Redis;
  edits: EditRepository;
  keys: ApiKeyRepository;
  endpoints: WebhookEndpointRepository;
  close(): Promise<void>;
}

const TIERS: readonly QueueTier[] = ['cpu', 'gpu', 'webhook', 'video'];
/** A key never written: its HEAD answers (absent) exactly when the blob store is reachable. */
const READINESS_PROBE_KEY = 'readyz/probe';

/** Services without HTTP (the CLI drives them directly). */
export function createGatewayServices(options: GatewayOptions): GatewayServices {
  const { config, blobs } = options;
  const redis = createGatewayRedis(config.redisUrl);
  const logger = createLogger('gateway');
  // Connection errors surface per request (503) and in /readyz; an unheard 'error' event would crash the process.
  logConnectionErrors(redis, logger, 'redis');
  const keyPrefix = `${config.prefix}:`;
  const queues = Object.fromEntries(TIERS.map((tier) => [tier, new Queue(QUEUE_NAMES[tier], { connection: redis, prefix: config.prefix })])) as Record<
    QueueTier,
    Queue
  >;
  const queueCounts = async (): Promise<QueueCounts> =>
    Object.fromEntries(await Promise.all(TIERS.map(async (tier) => [QUEUE_NAMES[tier], await queues[tier].getJobCounts(...QUEUE_STATES)] as const)));
  const metrics = options.metrics ?? createMetrics('gateway', { queueCounts });
  const flowProducer = new FlowProducer({ connection: redis, prefix: config.prefix });
  for (const [tier, queue] of Object.entries(queues)) logConnectionErrors(queue, logger, `queue ${tier}`);
  logConnectionErrors(flowProducer, logger, 'flow producer');
  const repositories = createRepositories(redis, config.prefix, blobs);
  const lifecycle = new EditLifecycle(repositories.edits, webhookQueueEvents(queues.webhook), promPipelineMetrics(metrics));
  const editService = new EditService({
    blobs,
    ...repositories,
    lifecycle,
    flows: bullmqEditFlows(flowProducer, queues, { prefix: config.prefix }, config.video.chunkSeconds),
  });
  const keys = new ApiKeyRepository(redis, keyPrefix);
  const endpoints = new WebhookEndpointRepository(redis, keyPrefix);
  const assets = new AssetService(blobs, new TenantAssetRepository(redis, keyPrefix), editService, config);
  // The face lists wait on the cpu tier's `faces` jobs through QueueEvents, opened on first use on a connection
  // of its own (its reads block, and BullMQ's blocking reads must not give up after a few retries).
  let cpuEventsConnection: Redis | undefined;
  const faceLists = bullmqFaceLists(
    queues.cpu,
    () => {
      cpuEventsConnection = redis.duplicate({ maxRetriesPerRequest: null });
      cpuEventsConnection.on('error', () => undefined);
      const events = new QueueEvents(QUEUE_NAMES.cpu, { connection: cpuEventsConnection, prefix: config.prefix });
      events.on('error', () => undefined);
      return events;
    },
    repositories.representations,
    blobs,
  );
  const faces = new FaceService(faceLists, assets);
  const edits = new EditApiService(editService, assets, blobs, options.generators, config, faces);
  const context: GatewayContext = {
    config,
    apiKeys: new ApiKeyService(keys, { ttlMs: config.apiKeyCacheMs, maxEntries: 10_000 }),
    rateLimits: new RateLimitService(new RateLimitRepository(redis, keyPrefix), config.rateLimit),
    idempotency: new IdempotencyService(new IdempotencyRepository(redis, keyPrefix), config.idempotencyTtlSeconds),
    assets,
    edits,
    faces,
    webhookEndpoints: new WebhookEndpointService(endpoints, edits, queues.webhook, config),
    catalog: buildTaskCatalog(options.generators, config.allowRandomWeights),
    metrics,
    // Taking an edit writes to Redis and reads its assets from the blob store: both must answer. Workers are
    // not required (GPU workers scale from zero on the queue an accepted edit fills).
    notReady: async () => {
      try {
        if ((await redis.ping()) !== 'PONG') return 'the job store (Redis) does not answer';
      } catch {
        return 'the job store (Redis) does not answer';
      }
      try {
        await blobs.head(READINESS_PROBE_KEY);
      } catch {
        return 'the blob store does not answer';
      }
      return null;
    },
  };
  return {
    context,
    redis,
    edits: repositories.edits,
    keys,
    endpoints,
    close: async () => {
      await settleStartUp([...Object.values(queues), flowProducer]);
      await Promise.all([...Object.values(queues).map((queue) => queue.close()), flowProducer.close(), faceLists.close()]);
      await cpuEventsConnection?.quit().catch(() => cpuEventsConnection?.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
