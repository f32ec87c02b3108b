/**
 * s3rver (an S3 emulator) on a fixed loopback port over a data directory, stoppable and restartable on the
 * same port with the same data: the S3 outage of the fault tests. Also the S3BlobStore that points at it.
 */
import S3rver from 's3rver';
import { S3BlobStore } from '@facex/storage';

export const TEST_BUCKET = 'facex';

export interface RestartableS3 {
  readonly endpoint: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A store on this endpoint; `maxAttempts` 1 makes an outage show at once (the stage retries instead). */
  store(options?: { maxAttempts?: number; requestTimeoutMs?: number }): S3BlobStore;
}

export function restartableS3(port: number, directory: string): RestartableS3 {
  let server: S3rver | null = null;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    start: async () => {
      if (server) return;
      const starting = new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
      await starting.run();
      server = starting;
    },
    stop: async () => {
      const running = server;
      server = null;
      await running?.close();
    },
    store: (options = {}) =>
      new S3BlobStore({
        bucket: TEST_BUCKET,
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: options.maxAttempts ?? 1,
        requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      }),
  };
}
