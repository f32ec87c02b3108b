/**
 * Fault: the blob store (s3rver) goes away while an edit is in flight. Back within the stage's retries, the
 * edit completes; down for longer, the edit fails once with a problem-like `unavailable` error and leaves no
 * job behind. Short retry delays come through the gateway's environment (EDIT_RETRY_*), which sets the job
 * options of the flows it creates.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { editJobId, type EditResponse } from '@facex/contracts';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES, createRedis } from '@facex/queue';
import type { S3BlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import {
  testConfig,
  ApiClient,
  until,
  freePort,
  restartableS3,
  type RestartableS3,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@facex/gateway-http/testing';

const RETRY_ATTEMPTS = 4;
const prefix = testPrefix('s3-outage');
const redis = createRedis(TEST_REDIS_URL);
const queues = { cpu: new Queue(QUEUE_NAMES.cpu, { connection: redis, prefix }), gpu: new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix }) };

let dataDir: string;
let s3: RestartableS3;
let blobs: S3BlobStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let receiver: WebhookReceiver;
let api: ApiClient;
let assets: string[];

/** Creates a face swap while the workers are paused, so the outage starts before any stage has run. */
async function createWithWorkersPaused(): Promise<EditResponse> {
  await Promise.all(workers.workers.map((worker) => worker.pause()));
  const { edit } = await api.create({
    task: { preset: 'face-swap', source: 0, target: 1 },
    inputs: [{ assetId: assets[0] }, { assetId: assets[1] }],
    options: { webhookUrl: receiver.url },
  });
  return edit;
}

const resumeWorkers = (): void => workers.workers.forEach((worker) => worker.resume());

/** The edit's jobs and their states (absent jobs omitted). */
async function jobStates(editId: string): Promise<string[]> {
  const ids: Array<[Queue, string]> = [
    [queues.cpu, editJobId(editId, 'extract', 0)],
    [queues.cpu, editJobId(editId, 'extract', 1)],
    [queues.cpu, editJobId(editId, 'assemble')],
    [queues.gpu, editJobId(editId, 'render')],
  ];
  const states = await Promise.all(ids.map(([queue, id]) => queue.getJobState(id)));
  return states.filter((state) => state !== 'unknown');
}

beforeAll(async () => {
  process.env['EDIT_RETRY_ATTEMPTS'] = String(RETRY_ATTEMPTS);
  process.env['EDIT_RETRY_BACKOFF_MS'] = '400';
  dataDir = await mkdtemp(join(tmpdir(), 'facex-s3-outage-'));
  s3 = restartableS3(await freePort(), dataDir);
  await s3.start();
  blobs = s3.store();
  gateway = await startGateway({
    config: testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 }),
    blobs,
    generators: [{ name: 'reference', modelPack: null }],
    logLevels: false,
  });
  workers = await startWorkers({ redisUrl: TEST_REDIS_URL, prefix, blobs, tiers: ['cpu', 'gpu'], analyzerThreads: 1 });
  const key = await gateway.services.context.apiKeys.issue('s3-outage');
  receiver = await startWebhookReceiver(key.webhookSecret);
  api = new ApiClient(gateway.url, key.key);
  assets = await Promise.all(['sample2.jpg', 'sample6.jpg'].map((name) => api.upload(samplePhoto(name))));
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await receiver?.close();
  blobs?.close();
  await s3?.stop();
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

it('retries the stage with backoff while S3 is down and completes the edit once it is back on the same port and data', async () => {
  const edit = await createWithWorkersPaused();
  await s3.stop();
  resumeWorkers();
  const extractId = editJobId(edit.id, 'extract', 0);
  // The first attempt failed and the job waits out its backoff.
  await until(async () => ((await queues.cpu.getJob(extractId))?.attemptsMade ?? 0) >= 1, 15_000, 'a failed extract attempt');
  expect(await queues.cpu.getJobState(extractId)).toBe('delayed');
  await s3.start();

  const done = await api.settled(edit.id, 60_000);
  expect([done.status, done.error]).toEqual(['completed', null]);
  // One failed attempt, then the one that succeeded.
  expect((await queues.cpu.getJob(extractId))?.attemptsMade).toBeGreaterThanOrEqual(2);
  expect(await blobs.head(`results/${edit.id}.png`)).not.toBeNull();
  await receiver.waitFor(1, 15_000);
  expect(receiver.events.map((event) => [event.data.editId, event.type])).toEqual([[edit.id, 'edit.completed']]);
});

it('fails the edit once with an unavailable error after the retries when S3 stays down, leaving no job waiting or active', async () => {
  const edit = await createWithWorkersPaused();
  await s3.stop();
  // Meanwhile the gateway still accepts edits: submitting touches only Redis (the tenant's ownership there
  // proves the assets); their stages meet the outage like the first edit's.
  const accepted = await api.post({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: assets[1] }, { assetId: assets[0] }] });
  expect(accepted.status).toBe(201);
  const second = (await accepted.json()) as EditResponse;
  resumeWorkers();

  const failed = await api.settled(edit.id, 60_000);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatchObject({ code: 'unavailable', title: expect.any(String), detail: expect.stringContaining('blob store'), retryable: true });
  // The first test cached both representations, so the edit has no extract jobs: assemble looks them up,
  // meets the outage on every attempt and fails the edit.
  expect((await queues.cpu.getJob(editJobId(edit.id, 'assemble')))?.attemptsMade).toBe(RETRY_ATTEMPTS);
  await until(async () => (await jobStates(edit.id)).every((state) => state === 'failed'), 15_000, 'every job of the edit to settle as failed');
  expect(await jobStates(edit.id)).toHaveLength(2);
  expect(await api.settled(second.id, 60_000)).toMatchObject({ status: 'failed', error: { code: 'unavailable' } });

  await receiver.waitFor(2, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(receiver.events.filter((event) => event.data.editId === edit.id).map((event) => [event.type, event.data.error?.code])).toEqual([
    ['edit.failed', 'unavailable'],
  ]);
  await s3.start();
});
