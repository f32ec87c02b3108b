import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';
import type { BlobStore } from './blob-store';

/**
 * The blob store the environment names: S3 when S3_BUCKET is set (S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID,
 * S3_SECRET_ACCESS_KEY, S3_KEY_PREFIX), else the directory FACEX_STORAGE_DIR (default ./data).
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
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}
