/**
 * The CLI's HTTP mode against a real gateway (real Redis, a filesystem store, in-process workers with the
 * `reference` generator): `facex edit --url … --key …` uploads, waits with progress and writes the result; a
 * refused request exits 1 with the problem's title.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { openTestStore, startTestGateway, type TestStore } from '@facex/gateway-http/testing';
import type { RunningGateway } from '@facex/gateway-http';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const SAMPLES = join(ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo');
const CLI = join(ROOT, 'apps', 'facex-cli', 'src', 'main.ts');

let store: TestStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let key: string;
let out: string;

const facex = (...args: string[]) =>
  run(process.execPath, [require.resolve('tsx/cli'), CLI, ...args], { cwd: ROOT, env: { ...process.env, FACEX_URL: '', FACEX_API_KEY: '' } });

beforeAll(async () => {
  store = await openTestStore('cli-http');
  gateway = await startTestGateway(store);
  workers = await startWorkers({
    redisUrl: gateway.services.context.config.redisUrl,
    prefix: store.prefix,
    blobs: store.blobs,
    tiers: ['cpu', 'gpu'],
    analyzerThreads: 1,
  });
  key = (await gateway.services.context.apiKeys.issue('cli')).key;
  out = await mkdtemp(join(tmpdir(), 'facex-cli-http-'));
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await store?.cleanup();
  await rm(out, { recursive: true, force: true });
});

it('runs a face swap through the gateway and writes the result', async () => {
  const output = join(out, 'swap.png');
  const { stderr } = await facex(
    'edit',
    '--task',
    'face-swap',
    '--source',
    join(SAMPLES, 'sample1.jpg'),
    '--target',
    join(SAMPLES, 'sample2.jpg'),
    '-o',
    output,
    '--url',
    gateway.url,
    '--key',
    key,
  );
  expect(stderr).toMatch(/100% completed/);
  expect(stderr).toMatch(new RegExp(`wrote ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(generator reference, no model pack, edit ed_`));
  const target = await sharp(join(SAMPLES, 'sample2.jpg')).metadata();
  const written = await sharp(await readFile(output)).metadata();
  expect([written.format, written.width, written.height]).toEqual(['png', target.width, target.height]);
});

it('exits 1 with the problem title when the gateway refuses', async () => {
  const failure = await facex(
    'edit',
    '--task',
    'face-swap',
    '--source',
    join(SAMPLES, 'sample1.jpg'),
    '--target',
    join(SAMPLES, 'sample2.jpg'),
    '-o',
    join(out, 'x.png'),
    '--url',
    gateway.url,
    '--key',
    'fx_not_a_key',
  ).catch((error: { code: number; stderr: string }) => error);
  expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/^facex: .+/) });
});
