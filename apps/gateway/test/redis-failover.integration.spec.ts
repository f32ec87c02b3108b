/**
 * Fault: Redis fails over under load. One master, one replica and three sentinels, each a child process on a
 * free loopback port (never the shared Redis); the gateway and the workers reach them through
 * `REDIS_URL=redis+sentinel://…/facex`. The master is killed with SIGKILL while 50 edits are being submitted
 * and run: every edit ends completed or failed with an error code (none stuck, none lost), and the gateway
 * answers 503 problem+json only between the kill and the moment the sentinels have elected the new master
 * (plus the clients' reconnect delay). Skipped, opening nothing, where Debian's redis-sentinel is absent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { FsBlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { testConfig, ApiClient, until, freePort } from '@facex/gateway-http/testing';

const EDITS = 50;
const MASTER = 'facex';
/** After the election, the clients reconnect within their retry delay (the gateway's is at most 2 s). */
const RECONNECT_GRACE_MS = 3_000;
const hasSentinel = spawnSync('sh', ['-c', 'command -v redis-sentinel && command -v redis-server'], { stdio: 'ignore' }).status === 0;

interface Child {
  port: number;
  process: ChildProcess;
}

const children: Child[] = [];
let dir: string;
let gateway: RunningGateway | undefined;
let workers: RunningWorkers | undefined;

async function startRedis(args: string[]): Promise<Child> {
  const port = await freePort();
  // Each server in its own directory: a replica's sync file must not meet its master's.
  const own = join(dir, `redis-${port}`);
  await mkdir(own);
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--repl-diskless-sync', 'yes', '--dir', own, ...args],
    {
      stdio: 'ignore',
    },
  );
  const entry = { port, process: child };
  children.push(entry);
  await until(async () => (await ping(port)) === 'PONG', 10_000, `redis-server on ${port}`);
  return entry;
}

async function startSentinel(masterPort: number): Promise<Child> {
  const port = await freePort();
  const conf = join(dir, `sentinel-${port}.conf`);
  await writeFile(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${MASTER} 1000`,
      `sentinel failover-timeout ${MASTER} 5000`,
      `sentinel parallel-syncs ${MASTER} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn('redis-sentinel', [conf], { stdio: 'ignore' });
  const entry = { port, process: child };
  children.push(entry);
  await until(async () => (await ping(port)) === 'PONG', 10_000, `redis-sentinel on ${port}`);
  return entry;
}

async function ping(port: number): Promise<string | null> {
  const client = new IORedis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

async function info(port: number): Promise<string> {
  const client = new IORedis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    return await client.info('replication');
  } finally {
    client.disconnect();
  }
}

async function sentinelCall(port: number, ...args: string[]): Promise<unknown> {
  const client = new IORedis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    return await client.call('SENTINEL', ...args);
  } finally {
    client.disconnect();
  }
}

(hasSentinel ? describe : describe.skip)('Redis Sentinel failover', () => {
  afterAll(async () => {
    await gateway?.close();
    await workers?.close();
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every one of 50 edits through a master kill -9, answering 503 only while no master is elected', async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-sentinel-'));
    const master = await startRedis([]);
    const replica = await startRedis(['--replicaof', '127.0.0.1', String(master.port)]);
    const sentinels = [await startSentinel(master.port), await startSentinel(master.port), await startSentinel(master.port)];
    // The replica is in sync, and the sentinels know it and each other, before anything depends on a failover.
    await until(async () => /master_link_status:up/.test(await info(replica.port)), 20_000, 'the replica to sync');
    await until(
      async () => ((await sentinelCall(sentinels[0].port, 'REPLICAS', MASTER)) as unknown[]).length === 1,
      20_000,
      'the sentinels to see the replica',
    );
    await until(
      async () => ((await sentinelCall(sentinels[0].port, 'SENTINELS', MASTER)) as unknown[]).length === 2,
      20_000,
      'the sentinels to see each other',
    );

    const redisUrl = `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${MASTER}`;
    const prefix = testPrefix('failover');
    const blobs = new FsBlobStore(dir);
    gateway = await startGateway({
      config: testConfig(prefix, { redisUrl, rateLimit: { burst: 10_000, perSecond: 10_000 } }),
      blobs,
      generators: [{ name: 'reference', modelPack: null }],
      logLevels: false,
    });
    workers = await startWorkers({ redisUrl, prefix, blobs, tiers: ['cpu', 'gpu'], analyzerThreads: 1, worker: { concurrency: { cpu: 2, gpu: 2 } } });
    const api = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('failover')).key);
    const assets = await Promise.all(['sample1.jpg', 'sample3.jpg', 'sample6.jpg'].map((name) => api.upload(samplePhoto(name))));

    const unavailableAt: number[] = [];
    const inProgressAt: number[] = [];
    const others: string[] = [];
    /** POST with one Idempotency-Key, retried on 503 (Retry-After) until accepted: a client that follows the contract. */
    async function submit(i: number): Promise<string> {
      const body = {
        task: { preset: 'inpaint', image: 0, regions: [['nose'], ['lips'], ['eyes']][i % 3], userMask: false },
        inputs: [{ assetId: assets[i % assets.length] }],
      };
      const deadline = Date.now() + 60_000;
      let last = '';
      for (;;) {
        if (Date.now() > deadline) throw new Error(`edit ${i} not accepted within 60 s; last answer ${last}`);
        const response = await api.post(body, `failover-${i}`).catch((error: unknown) => {
          last = String(error);
          return null;
        });
        if (response) last = String(response.status);
        if (response && response.status !== 201 && response.status !== 503 && response.status !== 409)
          last = `${response.status} ${await response.clone().text()}`;
        if (response?.status === 201) return ((await response.json()) as { id: string }).id;
        if (response?.status === 503) {
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          unavailableAt.push(Date.now());
        } else if (response?.status === 409) {
          // A request cut off by the outage leaves its Idempotency-Key claimed until the claim expires.
          expect(((await response.json()) as { code: string }).code).toBe('idempotency_in_progress');
          inProgressAt.push(Date.now());
        } else {
          others.push(`${response?.status}: ${await response?.text()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    const ids: Array<Promise<string>> = [];
    let killedAt = 0;
    let elected: Promise<number> | undefined;
    for (let i = 0; i < EDITS; i++) {
      ids.push(submit(i));
      if (i === 15) {
        master.process.kill('SIGKILL');
        killedAt = Date.now();
        const electedReplica = async (): Promise<boolean> =>
          ((await sentinelCall(sentinels[0].port, 'GET-MASTER-ADDR-BY-NAME', MASTER)) as string[])[1] === String(replica.port);
        elected = until(electedReplica, 30_000, 'the sentinels to elect the replica').then(() => Date.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const electedAt = await (elected as Promise<number>);
    const editIds = await Promise.all(ids);
    expect(new Set(editIds).size).toBe(EDITS);
    expect(others).toEqual([]);

    // Settled, each with its own outcome: completed, or failed naming an error code.
    const settled = await Promise.all(editIds.map((id) => api.settled(id, 180_000)));
    const unclear = settled.filter((edit) => !(edit.status === 'completed' || (edit.status === 'failed' && edit.error?.code)));
    expect(unclear.map((edit) => [edit.id, edit.status, edit.error])).toEqual([]);
    expect(settled.filter((edit) => edit.status === 'completed').length).toBeGreaterThan(0);
    // 503 only while no master could be reached.
    expect(unavailableAt.filter((at) => at < killedAt || at > electedAt + RECONNECT_GRACE_MS)).toEqual([]);
    const claimTtlMs = gateway.services.context.idempotency.pendingTtlSeconds() * 1000;
    expect(inProgressAt.filter((at) => at < killedAt || at > electedAt + RECONNECT_GRACE_MS + claimTtlMs)).toEqual([]);
    if (process.env['FACEX_REPORT_TIMINGS']) {
      const outcomes = settled.reduce<Record<string, number>>(
        (counts, edit) => ({ ...counts, [edit.error?.code ?? edit.status]: (counts[edit.error?.code ?? edit.status] ?? 0) + 1 }),
        {},
      );
      process.stderr.write(
        `failover: elected ${electedAt - killedAt} ms after the kill; 503s ${unavailableAt.length} (last ${Math.max(0, ...unavailableAt.map((at) => at - killedAt))} ms after the kill); 409s ${inProgressAt.length}; outcomes ${JSON.stringify(outcomes)}\n`,
      );
    }
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  }, 300_000);
});
