/**
 * The API a customer integrates against, through HTTP with real Redis, s3rver as the blob store and real
 * BullMQ workers (FaceAnalyzer with one thread, the `reference` generator): the defects found by probing
 * (D1 deep JSON, D2 Fastify's own errors, D3 unresolvable hosts, D4 per-tenant deletion), the listings with
 * cursor pagination and filters, and the deletion of a finished edit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import sharp from 'sharp';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { assetKey, type S3BlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { testConfig, ApiClient, freePort, restartableS3, startWebhookReceiver, until, type RestartableS3 } from '@facex/gateway-http/testing';

const prefix = testPrefix('api');

let dataDir: string;
let s3: RestartableS3;
let blobs: S3BlobStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let alice: ApiClient;
let bob: ApiClient;

const faceSwap = (source: string, target: string): unknown => ({
  task: { preset: 'face-swap', source: 0, target: 1 },
  inputs: [{ assetId: source }, { assetId: target }],
});

/** Asserts an RFC 9457 problem and returns it. */
async function expectProblem(response: Response, status: number, code?: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  const problem = JSON.parse(text) as Record<string, unknown>;
  if (code) expect(problem['code']).toBe(code);
  expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(/^\/docs\/problems#/) });
  return problem;
}

function request(client: ApiClient, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, { ...init, headers: { ...client.headers, ...(init.headers as Record<string, string> | undefined) } });
}

const json = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'facex-api-s3-'));
  s3 = restartableS3(await freePort(), dataDir);
  await s3.start();
  blobs = s3.store({ maxAttempts: 3 });
  gateway = await startGateway({
    config: testConfig(prefix, { rateLimit: { burst: 1_000, perSecond: 1_000 }, retention: { resultTtlSeconds: 7_200, representationTtlSeconds: 3_600 } }),
    blobs,
    generators: [{ name: 'reference', modelPack: null }],
    logLevels: false,
  });
  workers = await startWorkers({ redisUrl: TEST_REDIS_URL, prefix, blobs, tiers: ['cpu', 'gpu'], analyzerThreads: 1 });
  const keys = gateway.services.context.apiKeys;
  alice = new ApiClient(gateway.url, (await keys.issue('alice')).key);
  bob = new ApiClient(gateway.url, (await keys.issue('bob')).key);
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  blobs?.close();
  await s3?.stop();
  const redis = new IORedis(TEST_REDIS_URL);
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

describe('D1: JSON nested deeper than any request never reaches a recursive routine', () => {
  it.each([
    ['an array nest', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['an object nest', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`],
  ])('answers %s with 422 json_too_deep, with and without an Idempotency-Key', async (_name, body) => {
    await expectProblem(await request(alice, '/v1/edits', json(body)), 422, 'json_too_deep');
    await expectProblem(
      await request(alice, '/v1/edits', { ...json(body), headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' } }),
      422,
      'json_too_deep',
    );
    await expectProblem(await request(alice, '/v1/assets', json(body)), 422, 'json_too_deep');
  });

  it('still reads brackets inside strings as text', async () => {
    const body = JSON.stringify({ ...(faceSwap('a'.repeat(64), 'b'.repeat(64)) as object), note: '['.repeat(100) });
    expect((await expectProblem(await request(alice, '/v1/edits', json(body)), 422, 'invalid_recipe'))['field']).toBe('note');
  });
});

describe('D2: errors Fastify answers itself are problem+json too', () => {
  it('maps a too-long id (414), a malformed URL (400), an unknown method (404/405), bad JSON (400) and a bad content type (415)', async () => {
    await expectProblem(await request(alice, `/v1/edits/${'x'.repeat(200)}`), 414, 'uri_too_long');
    await expectProblem(await request(alice, '/v1/edits/%E0%A4%A'), 400, 'malformed_request');
    await expectProblem(await request(alice, '/v1/edits', json('{"task": [1,')), 400, 'malformed_request');
    await expectProblem(await request(alice, '/v1/edits', json('{"__proto__": {"x": 1}}')), 400, 'malformed_request');
    await expectProblem(
      await request(alice, '/v1/edits', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' }),
      415,
      'unsupported_media_type',
    );
    await expectProblem(
      await request(alice, '/v1/edits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }),
      400,
      'malformed_request',
    );
    const patched = await request(alice, '/v1/edits', { method: 'PATCH' });
    expect([404, 405]).toContain(patched.status);
    await expectProblem(patched, patched.status);
  });
});

describe("D3: a URL whose host does not resolve is the client's mistake", () => {
  it('answers 422 url_unresolvable naming the field, not 502', async () => {
    const problem = await expectProblem(
      await request(alice, '/v1/assets', json(JSON.stringify({ url: 'https://facex-no-such-host.invalid/a.jpg' }))),
      422,
      'url_unresolvable',
    );
    expect(problem['field']).toBe('url');
  });
});

describe('D4: deleting an asset is per tenant', () => {
  it("removes the tenant's edits and results at once whoever else holds the same photo, and the blob only with the last owner", async () => {
    const photo = samplePhoto('sample1.jpg');
    const other = samplePhoto('sample2.jpg');
    const [shared, aliceOther] = [await alice.upload(photo), await alice.upload(other)];
    expect(await bob.upload(photo)).toBe(shared);
    const bobOther = await bob.upload(other);
    const [aliceEdit, bobEdit] = await Promise.all([alice.create(faceSwap(shared, aliceOther)), bob.create(faceSwap(shared, bobOther))]);
    const [aliceDone, bobDone] = await Promise.all([alice.settled(aliceEdit.edit.id, 90_000), bob.settled(bobEdit.edit.id, 90_000)]);
    expect([aliceDone.status, bobDone.status]).toEqual(['completed', 'completed']);
    expect((await request(alice, `/v1/assets/${shared}`)).status).toBe(200);

    expect((await request(alice, `/v1/assets/${shared}`, { method: 'DELETE' })).status).toBe(204);
    // Alice's edit and result are gone at once, though Bob still holds the same bytes.
    await expectProblem(await request(alice, `/v1/edits/${aliceEdit.edit.id}`), 404, 'not_found');
    await expectProblem(await request(alice, `/v1/edits/${aliceEdit.edit.id}/result`), 404, 'not_found');
    await expectProblem(await request(alice, `/v1/assets/${shared}`), 404, 'not_found');
    expect(await blobs.head(`results/${aliceEdit.edit.id}.png`)).toBeNull();
    const aliceList = (await (await request(alice, '/v1/edits')).json()) as { items: Array<{ id: string }> };
    expect(aliceList.items.map((item) => item.id)).not.toContain(aliceEdit.edit.id);
    // Bob's edit, result and asset are untouched.
    expect((await request(bob, `/v1/edits/${bobEdit.edit.id}/result`)).status).toBe(200);
    expect(await blobs.head(assetKey(shared))).not.toBeNull();
    // Alice can no longer use it, and Bob's copy did not make it visible to her.
    expect((await expectProblem(await alice.post(faceSwap(shared, aliceOther)), 422, 'invalid_recipe'))['field']).toBe('inputs[0].assetId');

    expect((await request(bob, `/v1/assets/${shared}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await request(bob, `/v1/edits/${bobEdit.edit.id}`), 404, 'not_found');
    expect(await blobs.head(assetKey(shared))).toBeNull();
    await expectProblem(await request(bob, `/v1/assets/${shared}`, { method: 'DELETE' }), 404, 'not_found');
  }, 180_000);
});

describe('listings', () => {
  it("lists a tenant's assets newest first with metadata, pages with a cursor, and shows the face count once analysed", async () => {
    const carol = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('carol')).key);
    const ids: string[] = [];
    for (const name of ['sample3.jpg', 'sample4.jpg', 'sample5.jpg']) ids.push(await carol.upload(samplePhoto(name)));
    const first = (await (await request(carol, '/v1/assets?limit=2')).json()) as {
      items: Array<{ id: string; createdAt: string; size: number; contentType: string }>;
      nextCursor?: string;
    };
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({ size: samplePhoto('sample5.jpg').length, contentType: 'image/jpeg', createdAt: expect.any(String) });
    const second = (await (await request(carol, `/v1/assets?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: Array<{ id: string }>;
      nextCursor?: string;
    };
    expect([second.items.map((item) => item.id), second.nextCursor]).toEqual([[ids[0]], undefined]);
    // Another tenant sees none of them.
    const bobs = (await (await request(bob, '/v1/assets?limit=100')).json()) as { items: Array<{ id: string }> };
    expect(bobs.items.map((item) => item.id).filter((id) => ids.includes(id) && id !== undefined)).toEqual([]);

    expect(((await (await request(carol, `/v1/assets/${ids[0]}`)).json()) as { faceCount: unknown }).faceCount).toBeNull();
    const edit = await carol.create({ task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: ids[0] }] });
    expect((await carol.settled(edit.edit.id, 90_000)).status).toBe('completed');
    const details = (await (await request(carol, `/v1/assets/${ids[0]}`)).json()) as { faceCount: number; width: number };
    expect(details.faceCount).toBeGreaterThanOrEqual(1);
    expect(details.width).toBeGreaterThan(0);
    await expectProblem(await request(bob, `/v1/assets/${ids[0]}`), 404, 'not_found');
    await expectProblem(await request(carol, '/v1/assets?cursor=bm9wZQ'), 422, 'invalid_request');
    await expectProblem(await request(carol, '/v1/assets?limit=1000'), 422, 'invalid_request');
  }, 120_000);

  it("lists a tenant's edits newest first, filtered by status and created range, and deletes a finished edit with its result", async () => {
    const dave = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('dave')).key);
    const asset = await dave.upload(samplePhoto('sample6.jpg'));
    const before = new Date().toISOString();
    const done = await dave.create(faceSwap(asset, asset));
    expect((await dave.settled(done.edit.id, 90_000)).status).toBe('completed');
    const canceled = await dave.create({ ...(faceSwap(asset, asset) as object), options: { resolution: 256 } });
    expect((await request(dave, `/v1/edits/${canceled.edit.id}`, { method: 'DELETE' })).status).toBe(200);

    const all = (await (await request(dave, '/v1/edits')).json()) as { items: Array<{ id: string; status: string }> };
    expect(all.items.map((item) => item.id)).toEqual([canceled.edit.id, done.edit.id]);
    const completed = (await (await request(dave, '/v1/edits?status=completed')).json()) as { items: Array<{ id: string }> };
    expect(completed.items.map((item) => item.id)).toEqual([done.edit.id]);
    const paged = (await (await request(dave, '/v1/edits?limit=1')).json()) as { items: Array<{ id: string }>; nextCursor: string };
    const rest = (await (await request(dave, `/v1/edits?limit=1&cursor=${paged.nextCursor}`)).json()) as { items: Array<{ id: string }>; nextCursor?: string };
    expect([paged.items[0].id, rest.items[0].id, rest.nextCursor]).toEqual([canceled.edit.id, done.edit.id, undefined]);
    const none = (await (await request(dave, `/v1/edits?createdBefore=${encodeURIComponent(before)}`)).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
    await expectProblem(await request(dave, '/v1/edits?status=finished'), 422, 'invalid_request');
    expect(((await (await request(bob, '/v1/edits?limit=100')).json()) as { items: Array<{ id: string }> }).items.map((item) => item.id)).not.toContain(
      done.edit.id,
    );

    // A finished edit is deleted (204) with its result; a second DELETE finds nothing.
    expect((await request(dave, `/v1/edits/${done.edit.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await blobs.head(`results/${done.edit.id}.png`)).toBeNull();
    await expectProblem(await request(dave, `/v1/edits/${done.edit.id}`), 404, 'not_found');
    await expectProblem(await request(dave, `/v1/edits/${done.edit.id}`, { method: 'DELETE' }), 404, 'not_found');
    expect(((await (await request(dave, '/v1/edits')).json()) as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual([canceled.edit.id]);
  }, 120_000);
});

describe('data lifecycle', () => {
  it("shows the deployment's retention and limits at GET /v1/account", async () => {
    const account = (await (await request(alice, '/v1/account')).json()) as Record<string, unknown>;
    expect(account).toMatchObject({
      id: expect.stringMatching(/^key_/),
      name: 'alice',
      admin: false,
      retention: { assets: 'until deleted', resultSeconds: 7_200, conditionsSeconds: 7_200, representationSeconds: 3_600, faceCropSeconds: 3_600 },
      limits: { maxJsonBytes: expect.any(Number), rateLimit: { burst: 1_000, perSecond: 1_000 } },
    });
  });
});

describe('operations', () => {
  it('serves /metrics on its own port, not on the API port', async () => {
    await expectProblem(await fetch(`${gateway.url}/metrics`), 404, 'not_found');
    const metrics = await fetch(String(gateway.metricsUrl));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/facex_http_request_duration_seconds/);
  });

  it('sends no CORS headers unless origins are configured, and then only to those origins', async () => {
    const preflight = (base: string, origin: string) =>
      fetch(`${base}/v1/edits`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    expect((await preflight(gateway.url, 'https://app.example')).headers.get('access-control-allow-origin')).toBeNull();
    const open = await startGateway({
      config: testConfig(prefix, { cors: { origins: ['https://app.example'] } }),
      blobs,
      generators: [{ name: 'reference', modelPack: null }],
      logLevels: false,
    });
    try {
      const allowed = await preflight(open.url, 'https://app.example');
      expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([204, 'https://app.example']);
      expect((await preflight(open.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.close();
    }
  });
});

describe('result formats', () => {
  it('stores the encoding an edit asks for, re-encodes per request (query or Accept), crops to the face, and strips metadata', async () => {
    const erin = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('erin')).key);
    // The source carries EXIF (an orientation and a comment) that must not reach a result.
    const tagged = await sharp(samplePhoto('sample2.jpg'))
      .withExif({ IFD0: { ImageDescription: 'private note', Artist: 'someone' } })
      .jpeg()
      .toBuffer();
    const [source, target] = [await erin.upload(samplePhoto('sample1.jpg')), await erin.upload(tagged)];
    const framePng = await erin.create(faceSwap(source, target));
    const faceJpeg = await erin.create({ ...(faceSwap(source, target) as object), options: { output: { format: 'jpeg', quality: 70, region: 'face' } } });
    const [frameDone, faceDone] = await Promise.all([erin.settled(framePng.edit.id, 90_000), erin.settled(faceJpeg.edit.id, 90_000)]);
    expect([frameDone.status, faceDone.status]).toEqual(['completed', 'completed']);
    const fetchResult = async (id: string, query = '', headers: Record<string, string> = {}) => {
      const response = await request(erin, `/v1/edits/${id}/result${query}`, { headers });
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      return { type: response.headers.get('content-type'), bytes, meta: await sharp(bytes).metadata() };
    };
    const frame = await fetchResult(framePng.edit.id);
    expect([frame.type, frame.meta.format, frame.meta.exif]).toEqual(['image/png', 'png', undefined]);
    const targetMeta = await sharp(tagged).metadata();
    expect([frame.meta.width, frame.meta.height]).toEqual([targetMeta.width, targetMeta.height]);

    const face = await fetchResult(faceJpeg.edit.id);
    expect([face.type, face.meta.format, face.meta.exif]).toEqual(['image/jpeg', 'jpeg', undefined]);
    expect(face.meta.width).toBeLessThan(frame.meta.width as number);
    expect(faceDone.result).toMatchObject({ contentType: 'image/jpeg', region: 'face' });

    const webp = await fetchResult(framePng.edit.id, '?format=webp&quality=60');
    expect([webp.type, webp.meta.format, webp.meta.width]).toEqual(['image/webp', 'webp', frame.meta.width]);
    expect(webp.bytes.length).toBeLessThan(frame.bytes.length / 3);
    const accepted = await fetchResult(framePng.edit.id, '?region=face', { accept: 'image/avif;q=1, image/jpeg;q=0.9, */*;q=0.1' });
    expect([accepted.type, accepted.meta.width, accepted.meta.height]).toEqual(['image/jpeg', face.meta.width, face.meta.height]);
    expect((await fetchResult(framePng.edit.id, '', { accept: 'image/*' })).type).toBe('image/png');

    await expectProblem(await request(erin, `/v1/edits/${framePng.edit.id}/result`, { headers: { accept: 'image/gif' } }), 406, 'not_acceptable');
    // An image result is not offered as a video.
    await expectProblem(await request(erin, `/v1/edits/${framePng.edit.id}/result`, { headers: { accept: 'video/mp4' } }), 406, 'not_acceptable');
    await expectProblem(await request(erin, `/v1/edits/${faceJpeg.edit.id}/result?region=frame`), 422, 'invalid_request');
    await expectProblem(await request(erin, `/v1/edits/${framePng.edit.id}/result?format=bmp`), 422, 'invalid_request');
    await expectProblem(await erin.post({ ...(faceSwap(source, target) as object), options: { output: { format: 'gif' } } }), 422, 'invalid_recipe');
  }, 120_000);
});

describe('webhook endpoints', () => {
  it('refuses a private URL naming the setting that would allow it', async () => {
    const refused = await expectProblem(
      await request(alice, '/v1/webhook-endpoints', json(JSON.stringify({ url: 'http://127.0.0.1:8080/hook' }))),
      422,
      'url_not_allowed',
    );
    expect(refused['detail']).toMatch(/FACEX_ALLOW_PRIVATE_URLS=loopback/);
    const edited = await expectProblem(
      await alice.post({ ...(faceSwap('a'.repeat(64), 'b'.repeat(64)) as object), options: { webhookUrl: 'http://10.1.2.3/hook' } }),
      422,
    );
    expect(edited['code']).toMatch(/url_not_allowed|invalid_recipe/);
  });

  it("delivers to registered endpoints, signs with both secrets during a rotation's overlap, logs every attempt and redelivers", async () => {
    // A second gateway on the same store that delivers webhooks and lets them reach loopback.
    const hooks = await startGateway({
      config: testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1 }),
      blobs,
      generators: [{ name: 'reference', modelPack: null }],
      logLevels: false,
    });
    const receiver = await startWebhookReceiver(`whsec_${Buffer.alloc(24).toString('base64')}`);
    try {
      const frank = new ApiClient(hooks.url, (await hooks.services.context.apiKeys.issue('frank')).key);
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${hooks.url}${path}`, {
          ...init,
          headers: { ...frank.headers, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
        });
      const created = await call('/v1/webhook-endpoints', { method: 'POST', body: JSON.stringify({ url: receiver.url, events: ['edit.completed'] }) });
      expect(created.status).toBe(201);
      const endpoint = (await created.json()) as { id: string; secret: string; events: string[] };
      expect(endpoint).toMatchObject({ id: expect.stringMatching(/^we_/), secret: expect.stringMatching(/^whsec_/), events: ['edit.completed'] });
      receiver.useSecret(endpoint.secret);
      const listed = (await (await call('/v1/webhook-endpoints')).json()) as { items: Array<Record<string, unknown>> };
      expect(listed.items.map((item) => [item['id'], 'secret' in item])).toEqual([[endpoint.id, false]]);
      await expectProblem(await fetch(`${hooks.url}/v1/webhook-endpoints/${endpoint.id}`, { headers: bob.headers }), 404, 'not_found');

      const asset = await frank.upload(samplePhoto('sample3.jpg'));
      const { edit } = await frank.create({ task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: asset }] });
      expect((await frank.settled(edit.id, 90_000)).status).toBe('completed');
      await receiver.waitFor(1, 15_000);
      expect(receiver.events.map((event) => [event.data.editId, event.type])).toEqual([[edit.id, 'edit.completed']]);

      // Rotation with an hour's overlap: a receiver still on the old secret verifies the redelivery.
      const rotated = (await (
        await call(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', body: JSON.stringify({ overlapSeconds: 3600 }) })
      ).json()) as { secret: string; previousSecretExpiresAt: string };
      expect(rotated.secret).not.toBe(endpoint.secret);
      expect(Date.parse(rotated.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3_500_000);
      expect((await call(`/v1/edits/${edit.id}/redeliver`, { method: 'POST', body: '{}' })).status).toBe(202);
      await receiver.waitFor(2, 15_000);
      receiver.useSecret(rotated.secret);
      expect((await call(`/v1/edits/${edit.id}/redeliver`, { method: 'POST', body: '{}' })).status).toBe(202);
      await receiver.waitFor(3, 15_000);
      expect(receiver.events.map((event) => event.id)).toEqual([receiver.events[0].id, receiver.events[0].id, receiver.events[0].id]);

      // Rotation without overlap: the old secret stops signing at once.
      receiver.useSecret(rotated.secret);
      await call(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { method: 'POST', body: JSON.stringify({ overlapSeconds: 0 }) });
      await call(`/v1/edits/${edit.id}/redeliver`, { method: 'POST', body: '{}' });
      await until(async () => receiver.rejected === 1, 15_000, 'the delivery signed only with the new secret');
      expect(receiver.events).toHaveLength(3);

      const log = (await (await call(`/v1/edits/${edit.id}/deliveries`)).json()) as {
        items: Array<{ target: string; verdict: string; delivery: number; status?: number }>;
      };
      await until(
        async () => ((await (await call(`/v1/edits/${edit.id}/deliveries`)).json()) as { items: unknown[] }).items.length >= 4,
        10_000,
        'the fourth attempt logged',
      );
      const full = (await (await call(`/v1/edits/${edit.id}/deliveries`)).json()) as {
        items: Array<{ target: string; verdict: string; delivery: number; status?: number }>;
      };
      expect(log.items.length).toBeGreaterThanOrEqual(3);
      expect(full.items.map((item) => [item.target, item.delivery, item.verdict])).toEqual([
        [endpoint.id, 0, 'delivered'],
        [endpoint.id, 1, 'delivered'],
        [endpoint.id, 2, 'delivered'],
        [endpoint.id, 3, 'failed_permanently'],
      ]);
      await expectProblem(await fetch(`${hooks.url}/v1/edits/${edit.id}/deliveries`, { headers: bob.headers }), 404, 'not_found');
      expect((await call(`/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' })).status).toBe(204);
      expect(((await (await call('/v1/webhook-endpoints')).json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await receiver.close();
      await hooks.close();
    }
  }, 150_000);
});

describe('API keys', () => {
  it('lets an admin key list and revoke keys, refuses other keys (403), and a revoked key stops working at once', async () => {
    const keys = gateway.services.context.apiKeys;
    const admin = new ApiClient(gateway.url, (await keys.issue('ops', { admin: true })).key);
    const doomed = await keys.issue('doomed');
    const doomedClient = new ApiClient(gateway.url, doomed.key);
    expect((await request(doomedClient, '/v1/account')).status).toBe(200);
    await expectProblem(await request(alice, '/v1/keys'), 403, 'forbidden');
    await expectProblem(await request(alice, `/v1/keys/${doomed.id}`, { method: 'DELETE' }), 403, 'forbidden');
    const listed = (await (await request(admin, '/v1/keys')).json()) as { items: Array<Record<string, unknown>> };
    expect(listed.items.find((item) => item['id'] === doomed.id)).toEqual({
      id: doomed.id,
      name: 'doomed',
      admin: false,
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toMatch(/fx_[0-9a-f]{48}|whsec_/);

    expect((await request(admin, `/v1/keys/${doomed.id}`, { method: 'DELETE' })).status).toBe(204);
    await expectProblem(await request(doomedClient, '/v1/account'), 401, 'unauthorized');
    await expectProblem(await request(admin, `/v1/keys/${doomed.id}`, { method: 'DELETE' }), 404, 'not_found');
    const after = (await (await request(admin, '/v1/keys')).json()) as { items: Array<{ id: string; revokedAt: string | null }> };
    expect(after.items.find((item) => item.id === doomed.id)?.revokedAt).toEqual(expect.any(String));
  });

  it('lets an admin key create keys (the key shown once, not an admin unless asked), refusing other keys (403) and bad bodies (422)', async () => {
    const admin = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('ops', { admin: true })).key);
    expect(((await (await request(admin, '/v1/account')).json()) as { admin: boolean }).admin).toBe(true);
    await expectProblem(await request(alice, '/v1/keys', json('{"name":"mallory"}')), 403, 'forbidden');
    await expectProblem(await request(admin, '/v1/keys', json('{"name":"  "}')), 422, 'invalid_request');
    await expectProblem(await request(admin, '/v1/keys', json('{"name":"x","scopes":[]}')), 422, 'invalid_request');

    const created = await request(admin, '/v1/keys', json('{"name":" partner app "}'));
    expect(created.status).toBe(201);
    const issued = (await created.json()) as { id: string; name: string; admin: boolean; key: string; webhookSecret: string };
    expect(issued).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'partner app',
      admin: false,
      key: expect.stringMatching(/^fx_/),
      webhookSecret: expect.stringMatching(/^whsec_/),
    });
    expect(created.headers.get('location')).toBe(`/v1/keys/${issued.id}`);
    const partner = new ApiClient(gateway.url, issued.key);
    expect((await (await request(partner, '/v1/account')).json()) as Record<string, unknown>).toMatchObject({
      id: issued.id,
      name: 'partner app',
      admin: false,
    });
    await expectProblem(await request(partner, '/v1/keys'), 403, 'forbidden');
    const listed = (await (await request(admin, '/v1/keys')).json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((item) => item.id)).toContain(issued.id);
  });
});

describe('honest options', () => {
  it('does not echo steps or guidance a weight-free generator ignores, counts its one pass as progress, and refuses a style it cannot apply', async () => {
    const gina = new ApiClient(gateway.url, (await gateway.services.context.apiKeys.issue('gina')).key);
    const [source, driving] = [await gina.upload(samplePhoto('sample4.jpg')), await gina.upload(samplePhoto('sample5.jpg'))];
    const created = await gina.create({
      task: { preset: 'reenact', source: 0, driving: 1 },
      inputs: [{ assetId: source }, { assetId: driving }],
      options: { steps: 50, guidance: 3 },
    });
    expect(created.edit.options).not.toHaveProperty('steps');
    expect(created.edit.options).not.toHaveProperty('guidance');
    const done = await gina.settled(created.edit.id, 90_000);
    expect([done.status, done.progress]).toEqual(['completed', { stage: 'render', step: 1, steps: 1 }]);
    const animate = await gina.post({
      task: { preset: 'animate', source: 0, driving: 1, style: 'anime' },
      inputs: [{ assetId: source }, { assetId: driving }],
    });
    const problem = await expectProblem(animate, 422, 'invalid_recipe');
    expect([problem['field'], problem['detail']]).toEqual(['task.style', expect.stringMatching(/reenact/)]);
  }, 120_000);

  it('goes ready only when an edit can be taken: not while the blob store is down', async () => {
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
    await s3.stop();
    try {
      expect((await expectProblem(await fetch(`${gateway.url}/readyz`), 503, 'not_ready'))['detail']).toMatch(/blob store/);
    } finally {
      await s3.start();
    }
    await until(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, 15_000, 'ready again');
  });
});
