/**
 * `npm run bench:gateway`: edits accepted per second by the gateway under load. This process runs the gateway
 * (its own redis-server on a free loopback port, so INFO commandstats counts nothing else; a filesystem
 * store; no render workers: accepted means POST /v1/edits answered with an edit id and its flow is queued)
 * and spawns the load generator (load.ts) as a second process. Prints a markdown table: accepted edits/s,
 * p50/p99 latency, errors, Redis commands per edit and the gateway's CPU time per edit.
 * Settings: CONNECTIONS (default 32), DURATION_S (10), WARMUP_S (2), REPRESENTATIONS (`cached`: FORD has
 * analysed both photos before the run, as after a client's first edit on them, so the flows need no extract
 * jobs; `cold`: nothing analysed, every edit queues one extract job per input).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { assetKey, FsBlobStore } from '@facex/storage';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import { createRepositories, extractRepresentation, DEFAULT_RESULT_TTL_MS, NO_METRICS } from '@facex/edit-pipeline';
import { startGateway } from '@facex/gateway-http';
import { gatewayConfigFromEnv, ensureRedis } from '@facex/gateway-core';
import { freePort } from '@facex/gateway-http/testing';
import { describeMachine } from '../stats';
import type { LoadReport, LoadSpec } from './load';
import { commandDelta, parseCommandStats } from './redis-commandstats';

const ROOT = join(__dirname, '..', '..', '..');

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number`);
  return value;
}

/** Redis' own CPU seconds (user + system) from INFO cpu. */
async function redisCpuSeconds(redis: IORedis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Runs FORD over the inputs once and caches their representations, as the extract stage does. */
async function cacheRepresentations(redis: IORedis, prefix: string, blobs: FsBlobStore, inputs: Array<{ assetId: string; faceIndex: number }>): Promise<void> {
  const analyzer = await FaceAnalyzer.open();
  try {
    const { representations } = createRepositories(redis, prefix, blobs);
    const port = { packVersion: analyzer.manifest.version, analyzeWithCrop: (bytes: Uint8Array, face: number) => analyzer.analyzeWithCrop(bytes, face) };
    for (const [index, { assetId, faceIndex }] of inputs.entries()) {
      await extractRepresentation(
        { blobs, representations, analyzer: port, metrics: NO_METRICS, representationTtlMs: DEFAULT_RESULT_TTL_MS },
        { assetKey: assetKey(assetId), assetSha256: assetId, faceIndex, field: `inputs[${index}]` },
      );
    }
    await representations.publishPackVersion(port.packVersion);
  } finally {
    await analyzer.close();
  }
}

function runLoadProcess(spec: LoadSpec): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/bench/gateway/load.ts'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_LOAD: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadReport) : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const connections = setting('CONNECTIONS', 32);
  const durationS = setting('DURATION_S', 10);
  const warmupS = setting('WARMUP_S', 2);
  const representations = process.env['REPRESENTATIONS'] ?? 'cached';
  if (representations !== 'cached' && representations !== 'cold') throw new Error("REPRESENTATIONS: expected 'cached' or 'cold'");
  const redisUrl = `redis://127.0.0.1:${await freePort()}`;
  const redis = await ensureRedis(redisUrl);
  const dataDir = await mkdtemp(join(tmpdir(), 'facex-bench-gateway-'));
  const config = {
    ...gatewayConfigFromEnv({ REDIS_URL: redisUrl, PORT: '0', FACEX_QUEUE_PREFIX: 'facex-bench' }),
    webhookConcurrency: 0,
    rateLimit: { burst: 1e9, perSecond: 1e9 },
  };
  const blobs = new FsBlobStore(dataDir);
  const gateway = await startGateway({ config, blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
  const stats = new IORedis(redisUrl);
  try {
    const { context } = gateway.services;
    const key = await context.apiKeys.issue('bench');
    const [source, target] = await Promise.all(['sample1.jpg', 'sample2.jpg'].map(async (name) => (await context.assets.store(key.id, samplePhoto(name))).id));
    const inputs = [
      { assetId: source, faceIndex: 0 },
      { assetId: target, faceIndex: 1 },
    ];
    const body = { task: { preset: 'face-swap', source: 0, target: 1 }, inputs, options: { steps: 30, seed: 7 } };
    if (representations === 'cached') await cacheRepresentations(stats, config.prefix, blobs, inputs);

    const before = parseCommandStats(await stats.info('commandstats'));
    const cpuBefore = process.cpuUsage();
    const redisCpuBefore = await redisCpuSeconds(stats);
    const report = await runLoadProcess({ url: gateway.url, apiKey: key.key, body, connections, warmupS, durationS });
    const cpu = process.cpuUsage(cpuBefore);
    const redisCpuMs = ((await redisCpuSeconds(stats)) - redisCpuBefore) * 1000;
    // The reading itself adds one INFO call; it is left out below.
    const delta = commandDelta(before, parseCommandStats(await stats.info('commandstats'))).filter(([name]) => name !== 'info');
    const perEdit = (count: number): string => (count / Math.max(1, report.acceptedTotal)).toFixed(1);
    const totalCommands = delta.reduce((sum, [, count]) => sum + count, 0);
    const scripts = delta.filter(([name]) => name === 'evalsha' || name === 'eval').reduce((sum, [, count]) => sum + count, 0);

    console.log(
      `\n### Gateway under load (\`npm run bench:gateway\`, CONNECTIONS=${connections} DURATION_S=${durationS} WARMUP_S=${warmupS} REPRESENTATIONS=${representations})\n`,
    );
    console.log(`Machine: ${describeMachine()}. Gateway and load generator are two processes on this machine; generator stubbed (no render workers).\n`);
    console.log(
      '| accepted edits/s | p50 ms | p99 ms | max ms | errors | Redis commands / edit | of which Lua scripts (EVALSHA/EVAL) | CPU ms / edit: gateway, Redis, load generator |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---|');
    console.log(
      `| ${(report.accepted / report.seconds).toFixed(0)} | ${report.p50Ms.toFixed(1)} | ${report.p99Ms.toFixed(1)} | ${report.maxMs.toFixed(1)} | ${report.errors} | ${perEdit(totalCommands)} | ${perEdit(scripts)} | ${[(cpu.user + cpu.system) / 1000, redisCpuMs].map((ms) => (ms / Math.max(1, report.acceptedTotal)).toFixed(2)).join(', ')}, ${report.cpuMsPerRequest.toFixed(2)} |`,
    );
    console.log(
      `\nStatuses: ${JSON.stringify(report.statuses)}. Redis commands per accepted edit (scripts' inner calls included): ${delta.map(([name, count]) => `${name} ${perEdit(count)}`).join(', ')}.`,
    );
  } finally {
    stats.disconnect();
    await gateway.close();
    await redis.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
