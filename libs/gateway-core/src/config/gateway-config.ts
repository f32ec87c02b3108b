/**
 * The gateway's configuration, read once from the environment (pure: the caller passes `env`). Every value
 * has a default that suits the embedded mode; operators override them per deployment.
 */
import { tmpdir } from 'node:os';
import { DEFAULT_CHUNK_SECONDS, FacexError, GENERATOR_NAMES, type GeneratorName } from '@facex/contracts';
import { retentionFromEnv, type Retention } from '@facex/edit-pipeline';
import { DEFAULT_ALLOWED_PORTS, type UrlPolicy } from '@facex/net-guard';
import { videoLimitsFromEnv, type VideoLimits } from '@facex/video';
import type { GeneratorInfo } from '../services/task-catalog';

export interface RateLimitSettings {
  /** Requests a key may make in a burst. */
  burst: number;
  /** Tokens refilled per second (the sustained rate). */
  perSecond: number;
}

/** What the gateway accepts of a video upload, and how a video edit is cut into chunks. */
export interface VideoSettings {
  /** Largest uploaded or fetched video, bytes (`FACEX_VIDEO_MAX_BYTES`). */
  maxBytes: number;
  /** Duration, frame size and frame count (`FACEX_VIDEO_MAX_SECONDS`, `FACEX_VIDEO_MAX_PIXELS`, `FACEX_VIDEO_MAX_FRAMES`). */
  limits: VideoLimits;
  /** Seconds of frames per `video-chunk` job (`FACEX_VIDEO_CHUNK_SECONDS`). */
  chunkSeconds: number;
}

export interface GatewayConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  redisUrl: string;
  /** Namespaces BullMQ and repository keys (one per deployment or test). */
  prefix: string;
  /** The public origin used in links (webhooks, result URLs); defaults to the listening address. */
  publicBaseUrl: string | undefined;
  /** Largest JSON body, bytes. */
  maxJsonBytes: number;
  /** Largest uploaded or fetched image, bytes. */
  maxAssetBytes: number;
  maxAssetPixels: number;
  video: VideoSettings;
  /** Where uploads are spooled while they are checked and stored (`FACEX_UPLOAD_DIR`, default the system's temp directory). */
  uploadDir: string;
  urlFetchTimeoutMs: number;
  /** Test and embedded escape hatch: let URLs (asset fetches, webhooks) reach private ranges. Off by default. */
  allowPrivateUrls: boolean | readonly string[];
  rateLimit: RateLimitSettings;
  idempotencyTtlSeconds: number;
  /** How long a gateway trusts an API key it has found without asking Redis again (0: ask every time). */
  apiKeyCacheMs: number;
  /** Honest outputs: a generator whose pack has random weights is refused unless this is set. */
  allowRandomWeights: boolean;
  sseHeartbeatMs: number;
  ssePollMs: number;
  presignSeconds: number;
  webhookTimeoutMs: number;
  /** Jobs in flight of the webhook worker this process runs (0: none, deliveries run elsewhere). */
  webhookConcurrency: number;
  /** Browser origins allowed by CORS (`CORS_ORIGINS`, comma-separated, `*` for any); empty: CORS off. */
  cors: { origins: readonly string[] };
  /** Whether /metrics is served on the API port (`METRICS_ON_API_PORT`); off: only on `metricsPort`. */
  metricsOnApiPort: boolean;
  /** The port of the separate /metrics listener on `host` (`METRICS_PORT`, default 9464; 0 = any free; `off` = none). */
  metricsPort: number | undefined;
  /** How long results, conditions and representations live (RESULT_TTL_SECONDS, REPRESENTATION_TTL_SECONDS; shown by GET /v1/account). */
  retention: Retention;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  // Operator configuration, not user input: a plain error that stops start-up.
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return value;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got '${raw}'`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
}

/** `true`/`1`: every private range; a comma list (`loopback`): only those ranges; empty: none. */
function privateRanges(raw: string | undefined): boolean | readonly string[] {
  const value = (raw ?? '').trim();
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  return value
    .split(',')
    .map((range) => range.trim())
    .filter(Boolean);
}

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: int(env, 'PORT', 3000, 0),
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    prefix: env['FACEX_QUEUE_PREFIX'] ?? 'facex',
    publicBaseUrl: env['PUBLIC_BASE_URL'] || undefined,
    maxJsonBytes: int(env, 'MAX_JSON_BYTES', 64 * 1024),
    maxAssetBytes: int(env, 'MAX_ASSET_BYTES', 20 * 1024 * 1024),
    maxAssetPixels: int(env, 'MAX_ASSET_PIXELS', 50_000_000),
    video: {
      maxBytes: int(env, 'FACEX_VIDEO_MAX_BYTES', 200 * 1024 * 1024),
      limits: videoLimitsFromEnv(env),
      chunkSeconds: number(env, 'FACEX_VIDEO_CHUNK_SECONDS', DEFAULT_CHUNK_SECONDS),
    },
    uploadDir: env['FACEX_UPLOAD_DIR'] || tmpdir(),
    urlFetchTimeoutMs: int(env, 'URL_FETCH_TIMEOUT_MS', 10_000),
    allowPrivateUrls: privateRanges(env['FACEX_ALLOW_PRIVATE_URLS']),
    rateLimit: { burst: int(env, 'RATE_LIMIT_BURST', 60), perSecond: number(env, 'RATE_LIMIT_PER_SECOND', 10) },
    idempotencyTtlSeconds: int(env, 'IDEMPOTENCY_TTL_SECONDS', 24 * 3600),
    apiKeyCacheMs: int(env, 'FACEX_API_KEY_CACHE_MS', 5000, 0),
    allowRandomWeights: flag(env, 'FACEX_ALLOW_RANDOM_WEIGHTS'),
    sseHeartbeatMs: int(env, 'SSE_HEARTBEAT_MS', 15_000),
    ssePollMs: int(env, 'SSE_POLL_MS', 250),
    presignSeconds: int(env, 'RESULT_PRESIGN_SECONDS', 300),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
    webhookConcurrency: int(env, 'WEBHOOK_CONCURRENCY', 4, 0),
    cors: {
      origins: (env['CORS_ORIGINS'] ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    metricsOnApiPort: flag(env, 'METRICS_ON_API_PORT'),
    retention: retentionFromEnv(env),
    metricsPort: env['METRICS_PORT'] === 'off' ? undefined : int(env, 'METRICS_PORT', 9464, 0),
  };
}

/** The largest upload the gateway reads before it knows whether it is an image or a video. */
export function maxUploadBytes(config: Pick<GatewayConfig, 'maxAssetBytes' | 'video'>): number {
  return Math.max(config.maxAssetBytes, config.video.maxBytes);
}

/**
 * The SSRF policy of user-supplied URLs. Opening private ranges (tests, embedded use against loopback) also
 * lifts the port list: loopback test servers listen on ephemeral ports.
 */
export function urlPolicyOf(config: Pick<GatewayConfig, 'allowPrivateUrls'>, field: string): UrlPolicy {
  const open = config.allowPrivateUrls !== false;
  return { allowPrivate: config.allowPrivateUrls, allowedPorts: open ? 'any' : DEFAULT_ALLOWED_PORTS, field };
}

/**
 * Adds to an SSRF refusal the setting that would allow the URL, so an operator (or a developer pointing at a
 * local receiver) knows what to change; refusals no setting lifts say so.
 */
export async function withSettingHint<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof FacexError) || error.code !== 'url_not_allowed') throw error;
    const reason = error.details['reason'];
    const range = error.details['range'];
    const hint =
      reason === 'blocked_address'
        ? `the operator setting FACEX_ALLOW_PRIVATE_URLS=${typeof range === 'string' ? range : 'true'} (or true) would allow it`
        : reason === 'port'
          ? `only ports ${DEFAULT_ALLOWED_PORTS.join(', ')} are allowed; FACEX_ALLOW_PRIVATE_URLS (any value) lifts the port list`
          : 'no setting allows this';
    throw new FacexError('url_not_allowed', `${error.message}; ${hint}`, error.details);
  }
}

/**
 * FACEX_GENERATORS, for a gateway whose workers run elsewhere: what they serve, comma-separated, each
 * `name` (weight-free) or `name:pack@version` or `name:pack@version:random` (a pack with random weights).
 */
export function generatorsFromEnv(env: NodeJS.ProcessEnv = process.env): GeneratorInfo[] {
  // the render workers serve reference and warp unless configured otherwise (see open-generators.ts)
  const raw = env['FACEX_GENERATORS'] ?? 'reference,warp';
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, pack, random, ...rest] = entry.split(':');
      const [packName, version] = (pack ?? '').split('@');
      if (
        !(GENERATOR_NAMES as readonly string[]).includes(name) ||
        rest.length > 0 ||
        (pack !== undefined && !(packName && version)) ||
        (random !== undefined && random !== 'random')
      ) {
        throw new Error(`FACEX_GENERATORS: '${entry}' is not name[:pack@version[:random]] with name one of ${GENERATOR_NAMES.join(', ')}`);
      }
      return { name: name as GeneratorName, modelPack: pack === undefined ? null : { name: packName, version, randomWeights: random === 'random' } };
    });
}
