/**
 * Fault: the extractor worker (a real child process) is killed with SIGKILL while its job is active. The job
 * keeps a lock nobody renews; once it expires, a freshly started worker process recovers the stalled job
 * and the edit completes, with exactly one terminal webhook. Short lock and stall timings come through the
 * workers' environment (WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { editJobId } from '@facex/contracts';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES, createRedis } from '@facex/queue';
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
  gateway = await startGateway({ config: testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 }), blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
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
  const { edit } = await api.create({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: source }, { assetId: target }], options: { webhookUrl: receiver.url } });

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
