/**
 * Fault: the extractor worker (a real child process) is killed with SIGKILL while its job is active. The job
 * keeps a lock nobody renews; once it expires, a freshly started worker process recovers the stalled job
 * and the edit completes, with exactly one terminal webhook. Short lock and stall timings come through the
 * workers' environment (WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS). With the default timing and a
 * second worker process alive, the killed worker's job resumes within the documented bound (lock + 2 × stalled
 * interval, recoveryBoundMs: 25 s).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { editJobId } from '@facex/contracts';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES, createRedis, recoveryBoundMs } from '@facex/queue';
import { FsBlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { testConfig, ApiClient, until, startWebhookReceiver, type WebhookReceiver } from '@facex/gateway-http/testing';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

const prefix = testPrefix('crash');
const redis = createRedis(TEST_REDIS_URL);
const cpuQueue = new Queue(QUEUE_NAMES.cpu, { connection: redis, prefix });

let dataDir: string;
let gateway: RunningGateway;
let renderWorkers: RunningWorkers;
let receiver: WebhookReceiver;
let api: ApiClient;
const spawned: WorkerProcess[] = [];

function extractorEnv(): Record<string, string> {
  return {
    REDIS_URL: TEST_REDIS_URL,
    FACEX_QUEUE_PREFIX: prefix,
    FACEX_STORAGE_DIR: dataDir,
    ANALYZER_THREADS: '1',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'facex-crash-'));
  const blobs = new FsBlobStore(dataDir);
  gateway = await startGateway({
    config: testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 }),
    blobs,
    generators: [{ name: 'reference', modelPack: null }],
    logLevels: false,
  });
  renderWorkers = await startWorkers({ redisUrl: TEST_REDIS_URL, prefix, blobs, tiers: ['gpu'] });
  const key = await gateway.services.context.apiKeys.issue('crash');
  receiver = await startWebhookReceiver(key.webhookSecret);
  api = new ApiClient(gateway.url, key.key);
});

afterAll(async () => {
  await Promise.all(spawned.map((worker) => worker.stop()));
  await gateway?.close();
  await renderWorkers?.close();
  await receiver?.close();
  await cpuQueue.close();
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

it('completes an edit whose extractor was killed with SIGKILL mid-job, once a new worker process is up, with one terminal webhook', async () => {
  const first = await spawnWorker('extractor', extractorEnv());
  spawned.push(first);
  await first.ready();
  const [source, target] = await Promise.all(['sample4.jpg', 'sample5.jpg'].map((name) => api.upload(samplePhoto(name))));
  const { edit } = await api.create({
    task: { preset: 'face-swap', source: 0, target: 1 },
    inputs: [{ assetId: source }, { assetId: target }],
    options: { webhookUrl: receiver.url },
  });

  const extractId = editJobId(edit.id, 'extract', 0);
  // The handler has begun (the edit is running) and the analysis is under way: kill it now.
  const started = async (): Promise<boolean> => (await cpuQueue.getJobState(extractId)) === 'active' && (await api.get(edit.id)).status === 'running';
  await until(started, 20_000, 'the extract job to start');
  await first.kill9();
  // Killed mid-job: the job is still marked active (its lock has not expired yet) and the edit has not ended.
  expect([await cpuQueue.getJobState(extractId), (await api.get(edit.id)).status]).toEqual(['active', 'running']);

  const second = await spawnWorker('extractor', extractorEnv());
  spawned.push(second);
  await second.ready();
  const done = await api.settled(edit.id, 60_000);
  expect([done.status, done.error]).toEqual(['completed', null]);
  const recovered = await cpuQueue.getJob(extractId);
  expect(recovered?.stalledCounter).toBeGreaterThanOrEqual(1);

  await receiver.waitFor(1, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(receiver.events.map((event) => [event.data.editId, event.type])).toEqual([[edit.id, 'edit.completed']]);
}, 120_000);

it("resumes a SIGKILLed worker's job on a live worker within the default recovery bound (lock + 2 × stalled interval)", async () => {
  // Only default-timed workers on the queue now (the first test's worker checks for stalls every second).
  await Promise.all(spawned.splice(0).map((worker) => worker.stop()));
  const defaults = { REDIS_URL: TEST_REDIS_URL, FACEX_QUEUE_PREFIX: prefix, FACEX_STORAGE_DIR: dataDir, ANALYZER_THREADS: '1' };
  const [a, b] = await Promise.all([spawnWorker('extractor', defaults), spawnWorker('extractor', defaults)]);
  spawned.push(a, b);
  await Promise.all([a.ready(), b.ready()]);
  const photos = await Promise.all(['sample1.jpg', 'sample6.jpg'].map((name) => api.upload(samplePhoto(name))));
  // Two one-input edits: each worker (one job at a time) holds one extract job.
  const edits = await Promise.all(
    photos.map(
      async (assetId) => (await api.create({ task: { preset: 'inpaint', image: 0, regions: ['nose'], userMask: false }, inputs: [{ assetId }] })).edit,
    ),
  );
  const jobIds = edits.map((edit) => editJobId(edit.id, 'extract', 0));
  const bothActive = async (): Promise<boolean> => (await Promise.all(jobIds.map((id) => cpuQueue.getJobState(id)))).every((state) => state === 'active');
  await until(bothActive, 30_000, 'both extract jobs to be active');
  await a.kill9();
  const killedAt = Date.now();

  const stalled = async (): Promise<boolean> => (await Promise.all(jobIds.map((id) => cpuQueue.getJob(id)))).some((job) => (job?.stalledCounter ?? 0) >= 1);
  await until(stalled, recoveryBoundMs() + 5_000, "the killed worker's job to be recovered");
  const resumedMs = Date.now() - killedAt;
  if (process.env['FACEX_REPORT_TIMINGS']) process.stderr.write(`recovered after ${resumedMs} ms (bound ${recoveryBoundMs()} ms)\n`);
  // Polled every few ms: a little slack over the bound for the poll and the check's own round trip.
  expect(resumedMs).toBeLessThanOrEqual(recoveryBoundMs() + 1_500);
  expect(recoveryBoundMs()).toBeLessThan(30_000);
  const done = await Promise.all(edits.map((edit) => api.settled(edit.id, 60_000)));
  expect(done.map((edit) => [edit.status, edit.error])).toEqual([
    ['completed', null],
    ['completed', null],
  ]);
}, 150_000);
