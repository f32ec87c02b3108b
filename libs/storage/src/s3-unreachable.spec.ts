/** An unreachable S3 endpoint is a retryable `unavailable` FacexError (stages retry, the gateway answers 503). */
import { createServer } from 'node:net';
import { blobStoreFromEnv } from './config';
import { S3BlobStore } from './s3-blob-store';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('S3BlobStore with the endpoint down', () => {
  it('reports every operation as unavailable and retryable instead of a raw network error', async () => {
    const store = new S3BlobStore({
      bucket: 'facex',
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    try {
      const unavailable = { name: 'FacexError', code: 'unavailable', retryable: true, message: expect.stringContaining('blob store unreachable') };
      await expect(store.head('assets/x')).rejects.toMatchObject(unavailable);
      await expect(store.get('assets/x')).rejects.toMatchObject(unavailable);
      await expect(store.put('assets/x', new Uint8Array([1]))).rejects.toMatchObject(unavailable);
    } finally {
      store.close();
    }
  });
});

describe('blobStoreFromEnv', () => {
  it('refuses S3_MAX_ATTEMPTS or S3_REQUEST_TIMEOUT_MS that are not positive integers, naming the variable', () => {
    expect(() => blobStoreFromEnv({ S3_BUCKET: 'b', S3_MAX_ATTEMPTS: 'three' })).toThrow(/S3_MAX_ATTEMPTS/);
    expect(() => blobStoreFromEnv({ S3_BUCKET: 'b', S3_REQUEST_TIMEOUT_MS: '-1' })).toThrow(/S3_REQUEST_TIMEOUT_MS/);
    expect(blobStoreFromEnv({ S3_BUCKET: 'b', S3_MAX_ATTEMPTS: '2', S3_REQUEST_TIMEOUT_MS: '500' })).toBeInstanceOf(S3BlobStore);
  });
});
