/**
 * Fault: Redis goes down under a running gateway and workers. This test starts its own redis-server on a free
 * loopback port (never the shared one), stops it, checks the gateway answers 503 problem+json with
 * Retry-After, starts it again on the same port and checks that gateway and workers recover by themselves:
 * ready again, and a new edit completes. The server keeps no data (`--save ""`), so the tenant's key and
 * assets are issued again after the restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { FsBlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { ensureRedis, type LocalRedis } from '@facex/gateway-core';
import { testConfig, ApiClient, until, freePort } from '@facex/gateway-http/testing';

const prefix = testPrefix('redis-outage');

let dataDir: string;
let redisUrl: string;
let redis: LocalRedis | undefined;
let gateway: RunningGateway;
let workers: RunningWorkers;

async function tenant(): Promise<ApiClient> {
  const key = await gateway.services.context.apiKeys.issue('redis-outage');
  return new ApiClient(gateway.url, key.key);
}

async function expectUnavailable(response: Response): Promise<void> {
  expect([response.status, response.headers.get('content-type'), response.headers.get('retry-after')]).toEqual([
    503,
    expect.stringMatching(/^application\/problem\+json/),
    '5',
  ]);
  expect(await response.json()).toMatchObject({
    type: expect.stringMatching(/#(unavailable|not_ready)$/),
    status: 503,
    title: expect.any(String),
    detail: expect.any(String),
  });
}

const faceSwap = (source: string, target: string) => ({
  task: { preset: 'face-swap', source: 0, target: 1 },
  inputs: [{ assetId: source }, { assetId: target }],
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'facex-redis-outage-'));
  redisUrl = `redis://127.0.0.1:${await freePort()}`;
  redis = await ensureRedis(redisUrl);
  const blobs = new FsBlobStore(dataDir);
  gateway = await startGateway({ config: testConfig(prefix, { redisUrl }), blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
  workers = await startWorkers({ redisUrl, prefix, blobs, tiers: ['cpu', 'gpu'], analyzerThreads: 1 });
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await redis?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('answers 503 with Retry-After while its own Redis is down, and recovers by itself once it is back on the same port', async () => {
  expect(redis?.started).toBe(true);
  const before = await tenant();
  const [source, target] = await Promise.all(['sample1.jpg', 'sample3.jpg'].map((name) => before.upload(samplePhoto(name))));

  await redis?.close();
  redis = undefined;
  await expectUnavailable(await before.post(faceSwap(source, target)));
  await expectUnavailable(await fetch(`${gateway.url}/v1/tasks`, { headers: before.headers }));
  await expectUnavailable(await fetch(`${gateway.url}/readyz`));
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);

  redis = await ensureRedis(redisUrl);
  expect(redis.started).toBe(true);
  await until(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, 15_000, 'the gateway to be ready again');

  const after = await tenant();
  const assets = await Promise.all(['sample1.jpg', 'sample3.jpg'].map((name) => after.upload(samplePhoto(name))));
  const { edit } = await after.create(faceSwap(assets[0], assets[1]));
  const done = await after.settled(edit.id, 60_000);
  expect([done.status, done.error]).toEqual(['completed', null]);
  expect(workers.ready()).toBe(true);
});
