/**
 * Property-based fuzzing of the HTTP surface (fast-check) against real Redis and s3rver: every request built
 * from generated bad input (unknown or malformed ids, bodies of any JSON shape, deep nesting, oversized
 * bodies, wrong content types, bad query strings, missing or forged keys, odd Idempotency-Keys, uploads that
 * open like a video and are not one) is answered with a 4xx application/problem+json naming a known problem
 * code, never a 5xx, and within a deadline (no hang). RUNS cases per property, PROPERTIES properties: 3 500
 * requests per run, plus VIDEO_RUNS uploads (each one an ffprobe run), each seeded reproducibly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import IORedis from 'ioredis';
import type { S3BlobStore } from '@facex/storage';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { problemCatalog } from '@facex/gateway-core';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { testConfig, freePort, restartableS3, type RestartableS3 } from '@facex/gateway-http/testing';
import { videoToolsAvailable } from '@facex/video';

const RUNS = 500;
const PROPERTIES = 7;
const VIDEO_RUNS = 50;
const DEADLINE_MS = 10_000;
const prefix = testPrefix('fuzz');
const KNOWN_CODES = new Set(problemCatalog().map((entry) => entry.code));

let dataDir: string;
let s3: RestartableS3;
let blobs: S3BlobStore;
let gateway: RunningGateway;
let key: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'facex-fuzz-s3-'));
  s3 = restartableS3(await freePort(), dataDir);
  await s3.start();
  blobs = s3.store({ maxAttempts: 3 });
  const config = testConfig(prefix, { rateLimit: { burst: 100_000, perSecond: 100_000 }, maxJsonBytes: 16 * 1024 });
  gateway = await startGateway({
    config,
    blobs,
    generators: [
      { name: 'reference', modelPack: null },
      { name: 'warp', modelPack: null },
    ],
    logLevels: false,
  });
  key = (await gateway.services.context.apiKeys.issue('fuzz')).key;
});

afterAll(async () => {
  await gateway?.close();
  blobs?.close();
  await s3?.stop();
  const redis = new IORedis(TEST_REDIS_URL);
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dataDir, { recursive: true, force: true });
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

/** Sends the request and checks the answer is a 4xx problem+json with a known code, in time. */
async function expectClientProblem(request: FuzzRequest): Promise<void> {
  const response = await fetch(`${gateway.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  const text = await response.text();
  const where = `${request.method} ${request.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`;
  if (response.status < 400 || response.status > 499) throw new Error(`not a 4xx: ${where}`);
  if (!/^application\/problem\+json/.test(response.headers.get('content-type') ?? '')) throw new Error(`not problem+json: ${where}`);
  const problem = JSON.parse(text) as { code?: string; status?: number };
  if (!problem.code || !KNOWN_CODES.has(problem.code as never) || problem.status !== response.status) throw new Error(`not a known problem: ${where}`);
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${key}` });
const anyText = fc.string({ unit: 'binary', maxLength: 300 });
/** Strings a client could put in a URL (lone surrogates cannot be percent-encoded). */
const encodable = (value: string): boolean => {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
};
const idLike = fc
  .oneof(
    anyText.filter((s) => s.length > 0),
    fc.stringMatching(/^ed_[0-9a-z]{0,40}$/),
    fc.stringMatching(/^[0-9a-f]{60,70}$/),
    fc.string({ minLength: 101, maxLength: 400 }),
  )
  .filter(encodable);
/** JSON bodies of any shape; a few keys a real request would use are mixed in to get past the first checks. */
const anyJson = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.record({ task: fc.jsonValue(), inputs: fc.jsonValue(), options: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc
    .record({
      task: fc.record({ preset: fc.constantFrom('face-swap', 'inpaint', 'reenact', 'nope') }),
      inputs: fc.array(fc.record({ assetId: fc.string(), faceIndex: fc.integer() })),
    })
    .map((value) => JSON.stringify(value)),
  fc.integer({ min: 33, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 17 * 1024, max: 64 * 1024 }).map((size) => JSON.stringify({ pad: 'x'.repeat(size) })),
  anyText,
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
);

describe(`HTTP fuzzing (${RUNS} cases × ${PROPERTIES} properties)`, () => {
  const params = { numRuns: RUNS, interruptAfterTimeLimit: 120_000 };

  it('answers bad edit bodies with 4xx problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyJson,
        contentType,
        fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: undefined }),
        async (body, type, idempotencyKey) => {
          const headers: Record<string, string> = { ...auth(), ...(type ? { 'content-type': type } : {}) };
          if (idempotencyKey !== undefined && /^[\t\x20-\x7e]*$/.test(idempotencyKey)) headers['idempotency-key'] = idempotencyKey;
          await expectClientProblem({ method: 'POST', path: '/v1/edits', headers, body });
        },
      ),
      params,
    );
  }, 300_000);

  it('answers bad asset bodies (no fetchable URL) with 4xx problems', async () => {
    const notAUrlBody = anyJson.filter((body) => !/"url"/.test(body));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          notAUrlBody,
          fc.webUrl().map((url) => JSON.stringify({ url: url.replace(/^https?:\/\/[^/]+/, 'http://127.0.0.1') })),
        ),
        contentType,
        async (body, type) => {
          await expectClientProblem({ method: 'POST', path: '/v1/assets', headers: { ...auth(), ...(type ? { 'content-type': type } : {}) }, body });
        },
      ),
      params,
    );
  }, 300_000);

  (videoToolsAvailable() ? it : it.skip)(
    'answers uploads that open like an MP4, a MOV or a WebM but are not one with 4xx problems',
    async () => {
      const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
      const header = fc.constantFrom(
        [0, 0, 0, 24, ...ascii('ftypisom')],
        [0, 0, 0, 20, ...ascii('ftypqt  ')],
        [0, 0, 0, 8, ...ascii('moov')],
        [0x1a, 0x45, 0xdf, 0xa3],
      );
      await fc.assert(
        fc.asyncProperty(header, fc.uint8Array({ maxLength: 4096 }), async (head, rest) => {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array([...head, ...rest])]), 'clip.mp4');
          await expectClientProblem({ method: 'POST', path: '/v1/assets', headers: auth(), body: form });
        }),
        { ...params, numRuns: VIDEO_RUNS },
      );
    },
    300_000,
  );

  it('answers unknown or malformed ids on every id route with 4xx problems', async () => {
    const route = fc.constantFrom(
      ['GET', '/v1/edits/:id'],
      ['DELETE', '/v1/edits/:id'],
      ['GET', '/v1/edits/:id/result'],
      ['GET', '/v1/edits/:id/events'],
      ['GET', '/v1/edits/:id/deliveries'],
      ['POST', '/v1/edits/:id/redeliver'],
      ['GET', '/v1/assets/:id'],
      ['DELETE', '/v1/assets/:id'],
      ['GET', '/v1/webhook-endpoints/:id'],
      ['DELETE', '/v1/webhook-endpoints/:id'],
      ['POST', '/v1/webhook-endpoints/:id/rotate-secret'],
      ['DELETE', '/v1/keys/:id'],
    );
    await fc.assert(
      fc.asyncProperty(route, idLike, fc.boolean(), async ([method, template], id, encode) => {
        const raw = encode ? encodeURIComponent(id) : id.replace(/[^A-Za-z0-9_\-.~]/gu, (c) => encodeURIComponent(c));
        await expectClientProblem({ method, path: template.replace(':id', raw), headers: auth() });
      }),
      params,
    );
  }, 300_000);

  it('answers listings with an unknown or malformed parameter with 4xx problems', async () => {
    const badParam = fc.oneof(
      fc.tuple(
        fc.constantFrom('limit'),
        fc.oneof(
          fc.integer({ min: 101 }),
          fc.integer({ max: 0 }),
          fc.string().filter((s) => !/^\s*\d+\s*$/.test(s)),
        ),
      ),
      fc.tuple(
        fc.constantFrom('cursor'),
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^[A-Za-z0-9_-]+$/.test(s) || s.length < 20),
      ),
      fc.tuple(
        fc.constantFrom('createdAfter', 'createdBefore'),
        fc.string({ minLength: 1 }).filter((s) => Number.isNaN(Date.parse(s)) || !/T/.test(s)),
      ),
      fc.tuple(
        fc.constantFrom('status'),
        fc.string({ minLength: 1 }).filter((s) => !/^(queued|running|completed|failed|canceled)(,(queued|running|completed|failed|canceled))*$/.test(s)),
      ),
      fc.tuple(fc.stringMatching(/^x[a-z]{0,10}$/), fc.string()),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/edits', '/v1/assets'), badParam, async (path, [name, value]) => {
        if (path === '/v1/assets' && name === 'status') return;
        await expectClientProblem({ method: 'GET', path: `${path}?${new URLSearchParams({ [name]: String(value) })}`, headers: auth() });
      }),
      params,
    );
  }, 300_000);

  it('answers result encodings that are not offered with 4xx problems', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^ed_[0-9a-z]{20,30}$/), fc.string({ maxLength: 40 }), async (id, format) => {
        await expectClientProblem({ method: 'GET', path: `/v1/edits/${id}/result?${new URLSearchParams({ format })}`, headers: auth() });
      }),
      params,
    );
  }, 300_000);

  it('answers missing, malformed and forged API keys with 401 problems on every authenticated route', async () => {
    const header = fc.oneof(
      fc.constant({}),
      anyText.filter((s) => /^[\t\x20-\x7e]*$/.test(s)).map((value) => ({ authorization: value })),
      fc.stringMatching(/^[0-9a-f]{48}$/).map((hex) => ({ authorization: `Bearer fx_${hex}` })),
      fc.stringMatching(/^[\x21-\x7e]{0,80}$/).map((value) => ({ 'x-api-key': value })),
    );
    const route = fc.constantFrom(
      ['GET', '/v1/edits'],
      ['POST', '/v1/edits'],
      ['GET', '/v1/assets'],
      ['GET', '/v1/account'],
      ['GET', '/v1/keys'],
      ['POST', '/v1/keys'],
      ['GET', '/v1/tasks'],
      ['POST', '/v1/webhook-endpoints'],
    );
    await fc.assert(
      fc.asyncProperty(route, header, async ([method, path], headers) => {
        await expectClientProblem({ method, path, headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      }),
      params,
    );
  }, 300_000);

  it('answers bad webhook endpoint registrations and rotations with 4xx problems', async () => {
    const body = fc.oneof(
      anyJson,
      fc
        .record({
          url: fc.oneof(
            fc.string(),
            fc.constantFrom('http://127.0.0.1/x', 'http://169.254.169.254/', 'ftp://example.com/', 'http://[::1]/', 'https://no-such-host.invalid/'),
          ),
          events: fc.option(fc.array(fc.string()), { nil: undefined }),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        await expectClientProblem({ method: 'POST', path: '/v1/webhook-endpoints', headers: { ...auth(), 'content-type': 'application/json' }, body: payload });
      }),
      params,
    );
  }, 300_000);

  it('still serves after the fuzzing', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/v1/edits`, { headers: auth() })).status).toBe(200);
  });
});
