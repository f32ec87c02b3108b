/**
 * A video upload is streamed, not buffered: the multipart body goes to a temporary file under the gateway's
 * upload directory as it arrives, ffprobe reads that file and the blob store (s3rver here) receives it as a
 * stream. The gateway runs in this test's process, so its memory is measured where the blob is stored (after a
 * full garbage collection, so only live buffers count). The temporary file is gone after a stored upload, one
 * over the byte limit (413) and one the client abandons half-way. A clip named by URL is spooled the same way as
 * it downloads.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type ClientRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { assetKey, type S3BlobStore } from '@facex/storage';
import { gatewayConfigFromEnv } from '@facex/gateway-core';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { freePort, restartableS3, testConfig, until, type RestartableS3 } from '@facex/gateway-http/testing';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';
import IORedis from 'ioredis';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;
const MIB = 1024 * 1024;
/** Large enough that a copy of it in memory stands out from everything else the process holds. */
const PADDED_BYTES = 48 * MIB;
const MAX_BYTES = 64 * MIB;
const BOUNDARY = 'facex-test-boundary';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Live off-heap memory (Buffers) after a full collection. */
function liveBufferBytes(): number {
  collectGarbage();
  return process.memoryUsage().arrayBuffers;
}

/** The baseline: collected twice, a turn of the event loop apart, so that no Buffer freed just before counts. */
async function settledBufferBytes(): Promise<number> {
  liveBufferBytes();
  await new Promise((resolve) => setImmediate(resolve));
  return liveBufferBytes();
}

/**
 * Pads an MP4 with a trailing `free` box (a box players and ffprobe skip) to `bytes` in all, a mebibyte at a
 * time: a padding Buffer of the clip's size would still be in memory when the test takes its baseline.
 */
async function padClip(path: string, bytes: number): Promise<void> {
  const pad = bytes - (await stat(path)).size;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(pad, 0);
  header.write('free', 4, 'latin1');
  await appendFile(path, header);
  const zeros = Buffer.alloc(MIB);
  for (let left = pad - 8; left > 0; left -= MIB) await appendFile(path, left >= MIB ? zeros : zeros.subarray(0, left));
}

interface Sent {
  request: ClientRequest;
  response: Promise<{ status: number; body: Record<string, unknown> }>;
  /** Resolves once `pauseAfter` bytes of the file are sent (the rest waits); never when none is given. */
  paused: Promise<void>;
}

/** POSTs the file as a multipart upload, streamed from disk; `pauseAfter` holds the rest back. */
function sendFile(url: string, headers: Record<string, string>, path: string, pauseAfter?: number): Sent {
  const request = httpRequest(`${url}/v1/assets`, { method: 'POST', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });
  const response = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    request.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }),
      );
    });
    request.on('error', reject);
  });
  request.write(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="clip.mp4"\r\ncontent-type: video/mp4\r\n\r\n`);
  const file = createReadStream(path);
  let sent = 0;
  const paused = new Promise<void>((resolve) => {
    file.on('data', (chunk) => {
      sent += chunk.length;
      if (!request.write(chunk)) {
        file.pause();
        request.once('drain', () => (pauseAfter === undefined || sent < pauseAfter) && file.resume());
      }
      if (pauseAfter !== undefined && sent >= pauseAfter) {
        file.pause();
        resolve();
      }
    });
  });
  file.on('end', () => request.end(`\r\n--${BOUNDARY}--\r\n`));
  // A server that answers early (413) closes the connection: the rest of the file has nowhere to go.
  request.on('close', () => file.destroy());
  return { request, response, paused };
}

describeWithFfmpeg('video uploads streamed through the gateway', () => {
  const prefix = testPrefix('video-upload');
  let dir: string;
  let uploadDir: string;
  let s3: RestartableS3;
  let blobs: S3BlobStore;
  let gateway: RunningGateway;
  let headers: Record<string, string>;
  let clipPath: string;
  /** Live Buffer bytes at the moment each blob is stored, above those before the upload started. */
  const growthAtStore: number[] = [];
  let baseline = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-video-upload-'));
    uploadDir = join(dir, 'uploads');
    await mkdir(uploadDir);
    s3 = restartableS3(await freePort(), join(dir, 's3'));
    await s3.start();
    blobs = s3.store({ maxAttempts: 1, requestTimeoutMs: 60_000 });
    for (const method of ['put', 'putFile'] as const) {
      const store = blobs[method].bind(blobs) as (...args: unknown[]) => Promise<void>;
      (blobs as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        growthAtStore.push(liveBufferBytes() - baseline);
        return store(...args);
      };
    }
    const video = { ...gatewayConfigFromEnv({}).video, maxBytes: MAX_BYTES };
    const config = testConfig(prefix, { video, uploadDir, allowPrivateUrls: ['loopback'], rateLimit: { burst: 1_000, perSecond: 1_000 } });
    gateway = await startGateway({ config, blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
    headers = { authorization: `Bearer ${(await gateway.services.context.apiKeys.issue('video-upload')).key}` };
    clipPath = join(dir, 'clip.mp4');
    await makeTestClip(clipPath, { width: 160, height: 120, fps: { num: 10, den: 1 }, frames: 5, toneHz: null });
    await padClip(clipPath, PADDED_BYTES);
  });

  afterAll(async () => {
    await gateway?.close();
    blobs?.close();
    await s3?.stop();
    const redis = new IORedis(TEST_REDIS_URL);
    await deleteNamespace(redis, prefix);
    await redis.quit();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores a 48 MiB clip byte for byte without holding it in memory, and leaves no temporary file', async () => {
    baseline = await settledBufferBytes();
    const { response } = sendFile(gateway.url, headers, clipPath);
    const { status, body } = await response;
    expect([status, body['size'], body['contentType']]).toEqual([201, PADDED_BYTES, 'video/mp4']);
    const expected = createHash('sha256')
      .update(await readFile(clipPath))
      .digest('hex');
    expect(body['id']).toBe(expected);
    const stored = createHash('sha256')
      .update(await blobs.get(assetKey(expected)))
      .digest('hex');
    expect(stored).toBe(expected);
    // One blob stored, while far less than the clip was alive in memory (a whole-body Buffer would be 48 MiB; the
    // stream's buffers in flight and whatever else the test process holds measured up to 7 MiB in a full run).
    expect(growthAtStore).toHaveLength(1);
    expect(Math.abs(growthAtStore[0])).toBeLessThan(PADDED_BYTES / 3);
    expect(await readdir(uploadDir)).toEqual([]);
  });

  it('refuses an upload over the byte limit with 413 and removes its temporary file', async () => {
    const overPath = join(dir, 'over.mp4');
    await makeTestClip(overPath, { width: 160, height: 120, fps: { num: 10, den: 1 }, frames: 5, toneHz: null });
    await padClip(overPath, MAX_BYTES + MIB);
    const { status, body } = await sendFile(gateway.url, headers, overPath).response;
    expect([status, body['code'], body['field']]).toEqual([413, 'payload_too_large', 'file']);
    await until(async () => (await readdir(uploadDir)).length === 0, 10_000, 'the temporary file to be removed');
  });

  it('removes the temporary file of an upload the client abandons half-way, and stores nothing', async () => {
    const half = sendFile(gateway.url, headers, clipPath, PADDED_BYTES / 2);
    half.response.catch(() => undefined);
    await half.paused;
    // The upload is being spooled...
    await until(async () => (await readdir(uploadDir)).length === 1, 10_000, 'the upload to be spooled');
    half.request.destroy();
    // ...and its file goes with the connection.
    await until(async () => (await readdir(uploadDir)).length === 0, 10_000, 'the temporary file to be removed');
    expect(growthAtStore).toHaveLength(1);
  });

  it('stores a 48 MiB clip named by URL the same way: spooled as it downloads, not held in memory', async () => {
    const origin: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'video/mp4' });
      createReadStream(clipPath).pipe(response);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = origin.address() as { port: number };
      baseline = await settledBufferBytes();
      const stores = growthAtStore.length;
      const response = await fetch(`${gateway.url}/v1/assets`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `http://127.0.0.1:${port}/clip.mp4` }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      expect([response.status, body['size'], body['contentType']]).toEqual([201, PADDED_BYTES, 'video/mp4']);
      expect(growthAtStore).toHaveLength(stores + 1);
      expect(Math.abs(growthAtStore[stores] ?? Infinity)).toBeLessThan(PADDED_BYTES / 3);
      expect(await readdir(uploadDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => origin.close(resolve));
    }
  });
});
