/**
 * @facex/client against the real gateway (real Redis, a filesystem store, in-process workers with FaceAnalyzer
 * and the `reference` generator): upload bytes and a URL, create an edit idempotently, wait over SSE seeing
 * per-stage progress, download the result, and verify the signed webhook with verifyWebhook.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { openTestStore, testConfig, until, type TestStore } from '@facex/gateway-http/testing';
import { startLoopbackServer, type LoopbackServer } from '@facex/net-guard/testing';
import {
  createFacexClient,
  InvalidRequestError,
  NotFoundError,
  UnauthorizedError,
  verifyWebhook,
  WebhookVerificationError,
  type Edit,
  type FacexClient,
} from '@facex/client';

const SAMPLES = join(__dirname, '..', '..', '..', 'node_modules', '@vladmandic', 'face-api', 'demo');

let store: TestStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let server: LoopbackServer;
let client: FacexClient;
let photos: Buffer[];
const deliveries: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];

beforeAll(async () => {
  photos = await Promise.all(['sample1.jpg', 'sample2.jpg'].map((name) => readFile(join(SAMPLES, name))));
  // One loopback server: the photo the gateway fetches by URL, and the webhook receiver (raw bodies kept).
  server = await startLoopbackServer((request, response) => {
    if (request.method === 'GET' && request.url === '/photo.jpg') return void response.writeHead(200, { 'content-type': 'image/jpeg' }).end(photos[1]);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(200).end();
    });
  });
  store = await openTestStore('client-e2e');
  gateway = await startGateway({
    config: testConfig(store.prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 }),
    blobs: store.blobs,
    generators: [{ name: 'reference', modelPack: null }],
    logLevels: false,
  });
  workers = await startWorkers({
    redisUrl: gateway.services.context.config.redisUrl,
    prefix: store.prefix,
    blobs: store.blobs,
    tiers: ['cpu', 'gpu'],
    analyzerThreads: 1,
  });
  const key = await gateway.services.context.apiKeys.issue('client-e2e');
  client = createFacexClient({ baseUrl: gateway.url, apiKey: key.key });
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await server?.close();
  await store?.cleanup();
});

it('uploads, edits idempotently, follows the progress over SSE, downloads the result and verifies the webhook', async () => {
  const source = await client.uploadFile(new Uint8Array(photos[0]), { filename: 'sample1.jpg' });
  const target = await client.uploadUrl(`${server.origin}/photo.jpg`);
  expect([source.contentType, target.contentType]).toEqual(['image/jpeg', 'image/jpeg']);

  const body = {
    task: { preset: 'face-swap' as const, source: 0, target: 1 },
    inputs: [{ assetId: source.id }, { assetId: target.id }],
    options: { generator: 'reference' as const, webhookUrl: `${server.origin}/hook` },
  };
  const created = await client.createEdit(body);
  const again = await client.createEdit(body, { idempotencyKey: created.idempotencyKey });
  expect([again.edit.id, again.replayed, created.replayed]).toEqual([created.edit.id, true, false]);

  const updates: Edit[] = [];
  const finished = await client.waitForEdit(created.edit.id, { onUpdate: (edit) => updates.push(edit), signal: AbortSignal.timeout(90_000) });
  expect([finished.status, finished.error]).toEqual(['completed', null]);
  expect(updates.some((edit) => edit.status === 'running' && edit.progress !== null)).toBe(true);
  expect(updates.at(-1)?.status).toBe('completed');

  const result = await client.downloadResult(created.edit.id);
  expect([result.contentType, result.generator]).toEqual(['image/png', 'reference']);
  const metadata = await sharp(Buffer.from(result.bytes)).metadata();
  expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', target.width, target.height]);

  await until(() => deliveries.length > 0, 20_000, 'the webhook');
  const secret = await client.webhookSecret();
  const [delivery] = deliveries;
  expect(verifyWebhook(secret, delivery.body, delivery.headers)).toMatchObject({
    type: 'edit.completed',
    data: { editId: created.edit.id, status: 'completed' },
  });
  expect(() => verifyWebhook(secret, delivery.body.replace('completed', 'failed'), delivery.headers)).toThrow(WebhookVerificationError);
});

it("maps the gateway's problems to typed errors", async () => {
  await expect(client.getEdit('ed_0000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
  await expect(
    client.createEdit({ task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: 'z' }] } as never),
  ).rejects.toMatchObject({
    constructor: InvalidRequestError,
    status: 422,
    field: expect.stringContaining('inputs'),
  });
  await expect(createFacexClient({ baseUrl: gateway.url, apiKey: 'fx_wrong' }).tasks()).rejects.toBeInstanceOf(UnauthorizedError);
});
