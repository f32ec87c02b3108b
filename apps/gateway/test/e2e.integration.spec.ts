/**
 * End to end through the HTTP API with real Redis, s3rver as the blob store and real BullMQ workers
 * (FaceAnalyzer with one thread, the `reference` generator): 20 concurrent edits of five tasks all complete,
 * their results are in the bucket, every webhook arrives once with a valid signature, SSE streams progress
 * and the terminal status, and a repeated POST with the same Idempotency-Key returns the same edit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import IORedis from 'ioredis';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import type { S3BlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import {
  readEvents,
  testConfig,
  ApiClient,
  freePort,
  restartableS3,
  TEST_BUCKET,
  type RestartableS3,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@facex/gateway-http/testing';

const EDITS = 20;
const prefix = testPrefix('e2e');

let dataDir: string;
let s3: RestartableS3;
let blobs: S3BlobStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let receiver: WebhookReceiver;
let api: ApiClient;

/** The five tasks over three photos (a few faces each), so the representation cache is hit. */
function editBody(i: number, [a, b, c]: readonly string[], webhookUrl: string): unknown {
  const options = { webhookUrl };
  switch (i % 5) {
    case 0:
      return { task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: a }, { assetId: b }], options };
    case 1:
      return { task: { preset: 'head-swap', source: 0, target: 1 }, inputs: [{ assetId: b }, { assetId: c }], options };
    case 2:
      return { task: { preset: 'reenact', source: 0, driving: 1 }, inputs: [{ assetId: c }, { assetId: a }], options };
    case 3:
      return { task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: a, faceIndex: 1 }], options };
    default:
      return { task: { preset: 'attribute-edit', target: 0, regions: ['hair'], mode: 'mask-out' }, inputs: [{ assetId: b }], options };
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'facex-e2e-s3-'));
  s3 = restartableS3(await freePort(), dataDir);
  await s3.start();
  blobs = s3.store({ maxAttempts: 3 });
  const config = testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 4, rateLimit: { burst: 1_000, perSecond: 1_000 } });
  gateway = await startGateway({ config, blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
  workers = await startWorkers({
    redisUrl: TEST_REDIS_URL,
    prefix,
    blobs,
    tiers: ['cpu', 'gpu'],
    analyzerThreads: 1,
    worker: { concurrency: { cpu: 2, gpu: 1 } },
  });
  const key = await gateway.services.context.apiKeys.issue('e2e');
  receiver = await startWebhookReceiver(key.webhookSecret);
  api = new ApiClient(gateway.url, key.key);
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await receiver?.close();
  blobs?.close();
  await s3?.stop();
  const redis = new IORedis(TEST_REDIS_URL);
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

it('runs 20 concurrent edits of mixed tasks to completion with results in the bucket, one signed webhook each, SSE progress and idempotent replays', async () => {
  const assets = await Promise.all(['sample1.jpg', 'sample2.jpg', 'sample3.jpg'].map((name) => api.upload(samplePhoto(name))));
  const bodies = Array.from({ length: EDITS }, (_, i) => editBody(i, assets, receiver.url));
  const created = await Promise.all(bodies.map((body, i) => api.create(body, `e2e-${i}`)));
  const ids = created.map(({ edit }) => edit.id);
  expect(new Set(ids).size).toBe(EDITS);

  // A sample of edits followed over SSE from (close to) their start to their end.
  const streamed = await Promise.all(ids.slice(0, 3).map((id) => readEvents(`${gateway.url}/v1/edits/${id}/events`, api.headers)));
  const finished = await Promise.all(ids.map((id) => api.settled(id, 80_000)));
  expect(finished.map((edit) => [edit.status, edit.error])).toEqual(ids.map(() => ['completed', null]));

  for (const events of streamed) {
    expect(events.some((event) => event.event === 'progress')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'completed' } });
  }

  const listed = await blobs.client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: 'results/' }));
  const stored = new Set((listed.Contents ?? []).map((object) => object.Key));
  expect(ids.filter((id) => !stored.has(`results/${id}.png`))).toEqual([]);

  const replay = await api.create(bodies[7], 'e2e-7');
  expect([replay.edit.id, replay.replayed]).toEqual([ids[7], true]);

  await receiver.waitFor(EDITS, 20_000);
  // A moment more for any duplicate delivery to show up.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(receiver.rejected).toBe(0);
  expect([...receiver.countsById().values()]).toEqual(ids.map(() => 1));
  expect(receiver.events.map((event) => `${event.data.editId} ${event.type}`).sort()).toEqual(ids.map((id) => `${id} edit.completed`).sort());
});
