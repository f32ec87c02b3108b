import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';
import type { BlobStore } from './blob-store';

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  // Operator configuration, not user input: a plain error that stops start-up.
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}: expected a positive integer, got '${raw}'`);
  return value;
}

/**
 * The blob store the environment names: S3 when S3_BUCKET is set (S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID,
 * S3_SECRET_ACCESS_KEY, S3_KEY_PREFIX, S3_MAX_ATTEMPTS, S3_REQUEST_TIMEOUT_MS), else the directory
 * FACEX_STORAGE_DIR (default ./data).
 */
export function blobStoreFromEnv(env: NodeJS.ProcessEnv = process.env): BlobStore {
  const bucket = env['S3_BUCKET'];
  if (!bucket) return new FsBlobStore(env['FACEX_STORAGE_DIR'] ?? 'data');
  const accessKeyId = env['S3_ACCESS_KEY_ID'];
  const secretAccessKey = env['S3_SECRET_ACCESS_KEY'];
  return new S3BlobStore({
    bucket,
    region: env['S3_REGION'],
    endpoint: env['S3_ENDPOINT'],
    keyPrefix: env['S3_KEY_PREFIX'],
    maxAttempts: positiveInt(env, 'S3_MAX_ATTEMPTS'),
    requestTimeoutMs: positiveInt(env, 'S3_REQUEST_TIMEOUT_MS'),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}
