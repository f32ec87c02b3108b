/**
 * The gateway over HTTP with real Redis, a filesystem store and in-process workers (FaceAnalyzer, 1 thread;
 * the `reference` generator): one face swap end to end, idempotency, auth and tenant isolation, rate limits,
 * bad input, signed webhooks to a loopback receiver, problem+json, Redis unavailable.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pngDeclaring } from '@facex/analysis/testing';
import { Webhook } from 'standardwebhooks';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { startLoopbackServer, type LoopbackServer } from '@facex/net-guard/testing';
import type { RunningGateway } from './start-gateway';
import { openTestStore, readEvents, startTestGateway, testConfig, type TestStore } from './testing/gateway-harness';
import { startGateway } from './start-gateway';
import { openApiJson } from './docs/openapi-document';
import { FsBlobStore } from '@facex/storage';
import sharp from 'sharp';

const SAMPLES = join(__dirname, '..', '..', '..', 'node_modules', '@vladmandic', 'face-api', 'demo');

let store: TestStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let keyA: { key: string; id: string; webhookSecret: string };
let keyB: { key: string; id: string };
let photos: Buffer[];

const auth = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

async function upload(bytes: Uint8Array, key = keyA.key, name = 'photo.jpg'): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return fetch(`${gateway.url}/v1/assets`, { method: 'POST', headers: auth(key), body: form });
}

function postJson(path: string, body: unknown, headers: Record<string, string> = auth(keyA.key), base = gateway.url): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Asserts an RFC 9457 problem and returns it. */
async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const problem = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, code: problem['code'] }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(problem).toMatchObject({ type: `/docs/problems#${code}`, status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(problem)).not.toMatch(/\n\s+at /);
  return problem;
}

const faceSwap = (source: string, target: string, options: Record<string, unknown> = {}) => ({
  task: { preset: 'face-swap', source: 0, target: 1 },
  inputs: [{ assetId: source }, { assetId: target }],
  options,
});

beforeAll(async () => {
  store = await openTestStore('gateway');
  gateway = await startTestGateway(store, { maxAssetBytes: 1_000_000, maxJsonBytes: 16 * 1024 });
  workers = await startWorkers({
    redisUrl: gateway.services.context.config.redisUrl,
    prefix: store.prefix,
    blobs: store.blobs,
    tiers: ['cpu', 'gpu'],
    analyzerThreads: 1,
  });
  keyA = await gateway.services.context.apiKeys.issue('tenant-a');
  keyB = await gateway.services.context.apiKeys.issue('tenant-b');
  photos = await Promise.all(['sample1.jpg', 'sample2.jpg'].map((file) => readFile(join(SAMPLES, file))));
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await store?.cleanup();
});

describe('one face swap through HTTP', () => {
  it('uploads two photos, creates the edit, follows SSE to completion and fetches the named result', async () => {
    const [source, target] = await Promise.all(photos.map(async (bytes) => (await (await upload(bytes)).json()) as { id: string; width: number }));
    expect(source.width).toBeGreaterThan(0);
    const created = await postJson('/v1/edits', faceSwap(source.id, target.id));
    expect(created.status).toBe(201);
    const edit = (await created.json()) as { id: string; status: string };
    expect(created.headers.get('location')).toBe(`/v1/edits/${edit.id}`);
    expect(edit.status).toBe('queued');

    const events = await readEvents(`${gateway.url}/v1/edits/${edit.id}/events`, auth(keyA.key));
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'completed' } });
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    const shown = (await (await fetch(`${gateway.url}/v1/edits/${edit.id}`, { headers: auth(keyA.key) })).json()) as {
      result: { url: string; generator: string };
    };
    expect(shown.result).toMatchObject({ url: `/v1/edits/${edit.id}/result`, generator: 'reference' });
    expect(shown.result).not.toHaveProperty('key');
    const result = await fetch(`${gateway.url}${shown.result.url}`, { headers: auth(keyA.key) });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('image/png');
    expect(result.headers.get('x-facex-generator')).toBe('reference');
    expect(result.headers.get('x-facex-model-pack')).toBe('none');
    expect(
      Buffer.from(await result.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    // Resuming with the last event id sends nothing already seen (the edit has ended).
    expect(await readEvents(`${gateway.url}/v1/edits/${edit.id}/events`, { ...auth(keyA.key), 'last-event-id': events.at(-1)!.id })).toEqual([]);
    // Results expire: once past expiresAt the result is gone (410), whatever the store still holds.
    const recordKey = `${store.prefix}:edit:${edit.id}`;
    const stored = JSON.parse((await gateway.services.redis.hget(recordKey, 'result'))!) as Record<string, unknown>;
    await gateway.services.redis.hset(recordKey, 'result', JSON.stringify({ ...stored, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    await expectProblem(await fetch(`${gateway.url}${shown.result.url}`, { headers: auth(keyA.key) }), 410, 'result_expired');

    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
    const metrics = await (await fetch(String(gateway.metricsUrl))).text();
    expect(metrics).toMatch(/facex_http_request_duration_seconds_count\{[^}]*route="\/v1\/edits\/:id"/);
    expect(metrics).toMatch(/facex_queue_jobs\{[^}]*queue="facex-gpu"/);
  });

  it('lists the deployed generators and presets at /v1/tasks', async () => {
    const catalog = (await (await fetch(`${gateway.url}/v1/tasks`, { headers: { 'x-api-key': keyA.key } })).json()) as {
      presets: string[];
      generators: unknown[];
    };
    expect(catalog.presets).toContain('face-swap');
    expect(catalog.generators).toEqual([{ name: 'reference', modelPack: null, usable: true }]);
  });

  it('serves the OpenAPI document and the explorer page with its files from the gateway itself, without a key', async () => {
    expect(await (await fetch(`${gateway.url}/docs/openapi.json`)).text()).toBe(openApiJson());
    const response = await fetch(`${gateway.url}/docs`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await response.text();
    expect(page).toContain('/v1/edits/{id}/events');
    expect(page).not.toMatch(/https?:\/\//);
    const assets = [...page.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.map((asset) => asset.split('?')[0])).toEqual([
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/facex-explorer.js',
    ]);
    for (const asset of assets) {
      const served = await fetch(`${gateway.url}${asset}`);
      expect([served.status, (await served.arrayBuffer()).byteLength > 50]).toEqual([200, true]);
    }
    expect(await (await fetch(`${gateway.url}/docs/assets/facex-explorer.js`)).text()).toContain("url: '/docs/openapi.json'");
    await expectProblem(await fetch(`${gateway.url}/docs/assets/..%2Fpackage.json`), 404, 'not_found');
  });
});

describe('cancel and early reads', () => {
  it('has no result before completion (409), cancels a live edit (200), then deletes the finished edit (204)', async () => {
    const asset = ((await (await upload(photos[0])).json()) as { id: string }).id;
    const edit = (await (await postJson('/v1/edits', faceSwap(asset, asset))).json()) as { id: string };
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${edit.id}/result`, { headers: auth(keyA.key) }), 409, 'edit_not_completed');
    const canceled = await fetch(`${gateway.url}/v1/edits/${edit.id}`, { method: 'DELETE', headers: auth(keyA.key) });
    expect([canceled.status, ((await canceled.json()) as { status: string }).status]).toEqual([200, 'canceled']);
    expect((await fetch(`${gateway.url}/v1/edits/${edit.id}`, { method: 'DELETE', headers: auth(keyA.key) })).status).toBe(204);
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${edit.id}`, { headers: auth(keyA.key) }), 404, 'not_found');
  });
});

describe('honest outputs', () => {
  it('refuses a generator whose pack has random weights unless the operator allows it, and refuses undeployed ones', async () => {
    const packs = [
      { name: 'reference' as const, modelPack: null },
      { name: 'diffusion' as const, modelPack: { name: 'facex-diffusion', version: '0.0.1', randomWeights: true } },
    ];
    const strict = await startTestGateway(store, {}, packs);
    try {
      const asset = ((await (await upload(photos[0])).json()) as { id: string }).id;
      const catalog = (await (await fetch(`${strict.url}/v1/tasks`, { headers: auth(keyA.key) })).json()) as { generators: Array<{ usable: boolean }> };
      expect(catalog.generators.map((generator) => generator.usable)).toEqual([true, false]);
      const refused = await postJson('/v1/edits', faceSwap(asset, asset, { generator: 'diffusion' }), auth(keyA.key), strict.url);
      expect((await expectProblem(refused, 422, 'random_weights_refused'))['field']).toBe('options.generator');
      const missing = await postJson('/v1/edits', faceSwap(asset, asset, { generator: 'warp' }), auth(keyA.key), strict.url);
      expect((await expectProblem(missing, 422, 'invalid_recipe'))['field']).toBe('options.generator');
    } finally {
      await strict.close();
    }
  });
});

describe('Idempotency-Key', () => {
  it('gives the same edit for the same key and body, also to concurrent duplicates, and 422 for another body', async () => {
    const [source, target] = await Promise.all(photos.map(async (bytes) => ((await (await upload(bytes)).json()) as { id: string }).id));
    const headers = { ...auth(keyA.key), 'idempotency-key': 'order-42' };
    const responses = await Promise.all(Array.from({ length: 4 }, () => postJson('/v1/edits', faceSwap(source, target), headers)));
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as { id: string }).id));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(ids).size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    const other = await postJson('/v1/edits', faceSwap(target, source), headers);
    expect((await expectProblem(other, 422, 'idempotency_key_reused'))['field']).toBe('Idempotency-Key');
    await fetch(`${gateway.url}/v1/edits/${ids[0]}`, { method: 'DELETE', headers: auth(keyA.key) });
  });
});

describe('API keys and tenants', () => {
  it('refuses requests without a valid key', async () => {
    await expectProblem(await fetch(`${gateway.url}/v1/tasks`), 401, 'unauthorized');
    await expectProblem(await fetch(`${gateway.url}/v1/tasks`, { headers: auth('fx_' + '0'.repeat(48)) }), 401, 'unauthorized');
  });

  it("hides one key's assets and edits from another", async () => {
    const asset = ((await (await upload(photos[0])).json()) as { id: string }).id;
    const created = (await (await postJson('/v1/edits', faceSwap(asset, asset))).json()) as { id: string };
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${created.id}`, { headers: auth(keyB.key) }), 404, 'not_found');
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${created.id}/events`, { headers: auth(keyB.key) }), 404, 'not_found');
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${created.id}`, { method: 'DELETE', headers: auth(keyB.key) }), 404, 'not_found');
    await expectProblem(await fetch(`${gateway.url}/v1/assets/${asset}`, { method: 'DELETE', headers: auth(keyB.key) }), 404, 'not_found');
    const borrowed = await postJson('/v1/edits', faceSwap(asset, asset), auth(keyB.key));
    expect((await expectProblem(borrowed, 422, 'invalid_recipe'))['field']).toBe('inputs[0].assetId');
    // The owner deletes the asset: the edit made from it goes too.
    expect((await fetch(`${gateway.url}/v1/assets/${asset}`, { method: 'DELETE', headers: auth(keyA.key) })).status).toBe(204);
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${created.id}`, { headers: auth(keyA.key) }), 404, 'not_found');
  });
});

describe('inpainting with a user-drawn mask', () => {
  const inpaint = (image: string, mask?: string) => ({
    task: { preset: 'inpaint', image: 0, regions: [], userMask: true },
    inputs: [{ assetId: image }],
    ...(mask ? { mask: { assetId: mask } } : {}),
    options: { generator: 'reference' },
  });
  const maskPng = (width: number, height: number, box: { left: number; top: number; width: number; height: number }) =>
    sharp({ create: { width, height, channels: 3, background: '#000000' } })
      .composite([{ input: { create: { ...box, channels: 3, background: '#ffffff' } }, left: box.left, top: box.top }])
      .png()
      .toBuffer();

  it('regenerates what the mask covers and leaves the rest of the image as it was', async () => {
    const photo = (await (await upload(photos[0])).json()) as { id: string; width: number; height: number };
    // All but a 16 px frame: the hole is the whole of the largest face's crop, the frame must stay.
    const box = { left: 16, top: 16, width: photo.width - 32, height: photo.height - 32 };
    const mask = (await (await upload(await maskPng(photo.width, photo.height, box), keyA.key, 'mask.png')).json()) as { id: string };
    expect((await expectProblem(await postJson('/v1/edits', inpaint(photo.id)), 422, 'invalid_recipe'))['field']).toBe('mask');
    const created = await postJson('/v1/edits', inpaint(photo.id, mask.id));
    expect(created.status).toBe(201);
    const edit = (await created.json()) as { id: string; mask: { assetId: string } };
    expect(edit.mask).toEqual({ assetId: mask.id });
    expect((await readEvents(`${gateway.url}/v1/edits/${edit.id}/events`, auth(keyA.key))).at(-1)).toMatchObject({ data: { status: 'completed' } });

    const result = await fetch(`${gateway.url}/v1/edits/${edit.id}/result`, { headers: auth(keyA.key) });
    const [out, original] = await Promise.all([
      sharp(Buffer.from(await result.arrayBuffer()))
        .raw()
        .toBuffer(),
      sharp(photos[0]).removeAlpha().raw().toBuffer(),
    ]);
    const changed = (x: number, y: number) =>
      [0, 1, 2].some((c) => Math.abs(out[3 * (y * photo.width + x) + c] - original[3 * (y * photo.width + x) + c]) > 12);
    // The reference generator leaves the hole empty (black): the face's crop changes, the unmasked frame does not.
    let count = 0;
    for (let y = 0; y < photo.height; y++) for (let x = 0; x < photo.width; x++) if (changed(x, y)) count++;
    expect(count).toBeGreaterThan(0.02 * photo.width * photo.height);
    for (let x = 0; x < photo.width; x += 7) expect([changed(x, 2), changed(x, photo.height - 3)]).toEqual([false, false]);
  });

  it("answers 422 on `mask` when the mask is not the image's size", async () => {
    const photo = (await (await upload(photos[0])).json()) as { id: string };
    const small = (await (await upload(await maskPng(64, 48, { left: 8, top: 8, width: 16, height: 16 }), keyA.key, 'mask.png')).json()) as { id: string };
    const problem = await expectProblem(await postJson('/v1/edits', inpaint(photo.id, small.id)), 422, 'invalid_recipe');
    expect(problem['field']).toBe('mask');
    expect(problem['detail']).toMatch(/64×48/);
  });
});

describe('bad input gets the right 4xx problem and the service keeps serving', () => {
  it('rejects a non-image (415), a truncated JPEG (422) and a pixel bomb (413)', async () => {
    await expectProblem(await upload(Buffer.from('hello, not an image')), 415, 'not_an_image');
    await expectProblem(await upload(photos[0].subarray(0, Math.floor(photos[0].length / 2))), 422, 'corrupt_image');
    await expectProblem(await upload(pngDeclaring(30_000, 30_000)), 413, 'image_too_large');
  });

  it('rejects oversized bodies (413), unsupported media (415), malformed JSON (400) and unknown fields (422)', async () => {
    await expectProblem(await upload(Buffer.alloc(1_200_000, 7)), 413, 'payload_too_large');
    await expectProblem(await postJson('/v1/edits', { pad: 'x'.repeat(20_000) }), 413, 'payload_too_large');
    await expectProblem(
      await fetch(`${gateway.url}/v1/edits`, { method: 'POST', headers: { ...auth(keyA.key), 'content-type': 'text/plain' }, body: 'hi' }),
      415,
      'unsupported_media_type',
    );
    await expectProblem(await postJson('/v1/edits', '{"task":'), 400, 'malformed_request');
    const cutMultipart = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc';
    const cut = await fetch(`${gateway.url}/v1/assets`, {
      method: 'POST',
      headers: { ...auth(keyA.key), 'content-type': 'multipart/form-data; boundary=XX' },
      body: cutMultipart,
    });
    await expectProblem(cut, 400, 'malformed_request');
    const unknown = await postJson('/v1/edits', { ...faceSwap('a'.repeat(64), 'b'.repeat(64)), colour: 'blue' });
    expect((await expectProblem(unknown, 422, 'invalid_recipe'))['field']).toBe('colour');
    expect((await expectProblem(await postJson('/v1/assets', { url: 'https://example.com/a.jpg', extra: 1 }), 422, 'invalid_request'))['field']).toBe('extra');
    await expectProblem(await fetch(`${gateway.url}/v1/nowhere`, { headers: auth(keyA.key) }), 404, 'not_found');
  });

  it('refuses SSRF URLs for assets and webhooks', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://localhost/a.jpg', 'http://[::1]/a.jpg']) {
      expect((await expectProblem(await postJson('/v1/assets', { url }), 422, 'url_not_allowed'))['field']).toBe('url');
    }
    const asset = ((await (await upload(photos[1])).json()) as { id: string }).id;
    const hooked = await postJson('/v1/edits', faceSwap(asset, asset, { webhookUrl: 'http://127.0.0.1/hook' }));
    expect((await expectProblem(hooked, 422, 'url_not_allowed'))['field']).toBe('options.webhookUrl');
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it("answers 429 with Retry-After and RateLimit headers once a key's bucket is empty", async () => {
    const limited = await startTestGateway(store, { rateLimit: { burst: 2, perSecond: 0.01 } });
    try {
      const key = (await limited.services.context.apiKeys.issue('burst')).key;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        last = await fetch(`${limited.url}/v1/tasks`, { headers: auth(key) });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      await expectProblem(last!, 429, 'rate_limited');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    } finally {
      await limited.close();
    }
  });
});

describe('webhooks', () => {
  let receiver: LoopbackServer;
  const received: Array<{ headers: Record<string, string>; body: string }> = [];

  beforeAll(async () => {
    receiver = await startLoopbackServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers as Record<string, string>, body });
        response.writeHead(204).end();
      });
    });
  });

  afterAll(() => receiver.close());

  it('delivers one signed edit.completed event to a loopback receiver (private URLs allowed in this test only)', async () => {
    const open = await startTestGateway(store, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 });
    try {
      const [source, target] = await Promise.all(photos.map(async (bytes) => ((await (await upload(bytes)).json()) as { id: string }).id));
      const created = await postJson('/v1/edits', faceSwap(source, target, { webhookUrl: `${receiver.origin}/hook` }), auth(keyA.key), open.url);
      const edit = (await created.json()) as { id: string };
      for (let waited = 0; received.length === 0 && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toHaveLength(1);
      const event = new Webhook(keyA.webhookSecret).verify(received[0].body, received[0].headers) as {
        id: string;
        type: string;
        data: { editId: string; links: { result: string } };
      };
      expect(event).toMatchObject({ type: 'edit.completed', data: { editId: edit.id } });
      expect(event.id).toBe(received[0].headers['webhook-id']);
      expect(event.data.links.result).toBe(`${open.url}/v1/edits/${edit.id}/result`);
      const secret = (await (await fetch(`${open.url}/v1/webhook-secret`, { headers: auth(keyA.key) })).json()) as { secret: string };
      expect(secret.secret).toBe(keyA.webhookSecret);
    } finally {
      await open.close();
    }
  });
});

describe('Redis unavailable', () => {
  it('answers 503 problem+json with Retry-After, and /readyz says not ready', async () => {
    const orphan = await startGateway({
      config: testConfig('facex-test-down', { redisUrl: 'redis://127.0.0.1:1' }),
      blobs: new FsBlobStore(store.prefix),
      generators: [],
      logLevels: false,
    });
    try {
      const response = await fetch(`${orphan.url}/v1/tasks`, { headers: auth(keyA.key) });
      await expectProblem(response, 503, 'unavailable');
      expect(response.headers.get('retry-after')).toBe('5');
      await expectProblem(await fetch(`${orphan.url}/readyz`), 503, 'not_ready');
      expect((await fetch(`${orphan.url}/healthz`)).status).toBe(200);
    } finally {
      await orphan.close();
    }
  });
});
