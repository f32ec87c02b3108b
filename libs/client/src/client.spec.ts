import { Webhook } from 'standardwebhooks';
import {
  ConflictError,
  createFacexClient,
  FacexApiError,
  InvalidRequestError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  verifyWebhook,
  WebhookVerificationError,
  type Edit,
} from './index.js';

const BASE = 'http://gateway.test';

/** A fetch that records each request (with its body read) and answers from a script, in order. */
function scriptedFetch(...answers: Array<(request: Request) => Response | Promise<Response>>) {
  const requests: Array<{ method: string; url: string; headers: Headers; body: string; form?: FormData }> = [];
  const fetch = async (request: Request): Promise<Response> => {
    const isForm = request.headers.get('content-type')?.startsWith('multipart/form-data') ?? false;
    const form = isForm ? await request.clone().formData() : undefined;
    requests.push({ method: request.method, url: request.url, headers: request.headers, body: isForm ? '' : await request.text(), ...(form ? { form } : {}) });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return answer(request);
  };
  return { fetch, requests, remaining: () => answers.length };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify({ type: `/docs/problems#${code}`, title: code.replace(/_/g, ' '), status, detail: `detail of ${code}`, code, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

const asset = { id: 'a'.repeat(64), size: 3, contentType: 'image/jpeg', width: 2, height: 2 };
function edit(status: Edit['status'], updatedAt: string, progress: Edit['progress'] = null): Edit {
  return {
    id: 'ed_0123456789abcdefghjkmnpqrs',
    status,
    progress,
    updatedAt,
    createdAt: '2026-01-01T00:00:00.000Z',
    result: null,
    error: null,
  } as unknown as Edit;
}

function client(fetch: (request: Request) => Promise<Response>, sleeps: number[] = []) {
  return createFacexClient({ baseUrl: `${BASE}/`, apiKey: 'fx_key', fetch, sleep: async (ms) => void sleeps.push(ms) });
}

function sseBody(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}
const sse = (id: string, event: string, data: unknown): string => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe('uploads', () => {
  it('sends bytes as the multipart `file` part with the key and a fresh Idempotency-Key', async () => {
    const mock = scriptedFetch(() => json(201, asset));
    await expect(client(mock.fetch).uploadFile(new Uint8Array([1, 2, 3]), { filename: 'me.jpg' })).resolves.toEqual(asset);
    const [request] = mock.requests;
    expect([request.method, request.url, request.headers.get('authorization')]).toEqual(['POST', `${BASE}/v1/assets`, 'Bearer fx_key']);
    expect(request.headers.get('idempotency-key')).toMatch(/^idem_[0-9a-f]{32}$/);
    const file = request.form?.get('file') as File;
    expect([file.name, Array.from(new Uint8Array(await file.arrayBuffer()))]).toEqual(['me.jpg', [1, 2, 3]]);
  });

  it('uploads a video file under its name and returns the asset with its probe', async () => {
    const probe = {
      container: 'mp4',
      videoCodec: 'h264',
      width: 320,
      height: 240,
      fps: { num: 30000, den: 1001 },
      frameCount: 48,
      durationSeconds: 1.6,
      audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
    };
    const stored = { ...asset, contentType: 'video/mp4', width: 320, height: 240, video: probe };
    const mock = scriptedFetch(() => json(201, stored));
    const clip = new File([new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112])], 'clip.mp4', { type: 'video/mp4' });
    const uploaded = await client(mock.fetch).uploadFile(clip);
    expect([uploaded.contentType, uploaded.video?.frameCount, uploaded.video?.fps]).toEqual(['video/mp4', 48, { num: 30000, den: 1001 }]);
    const file = mock.requests[0].form?.get('file') as File;
    expect([file.name, file.size]).toEqual(['clip.mp4', 8]);
  });

  it('asks the gateway to fetch a URL as JSON { url }', async () => {
    const mock = scriptedFetch(() => json(201, asset));
    await client(mock.fetch).uploadUrl('https://example.com/a.jpg', { idempotencyKey: 'k1' });
    expect([mock.requests[0].headers.get('content-type'), mock.requests[0].body, mock.requests[0].headers.get('idempotency-key')]).toEqual([
      'application/json',
      '{"url":"https://example.com/a.jpg"}',
      'k1',
    ]);
  });

  it('turns a 413 problem into an InvalidRequestError with its code', async () => {
    const mock = scriptedFetch(() => problem(413, 'image_too_large'));
    const error = await client(mock.fetch)
      .uploadFile(new Uint8Array([1]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 413, code: 'image_too_large', message: 'image too large: detail of image_too_large (413)' });
  });
});

describe('createEdit', () => {
  const body = { task: { preset: 'face-swap' as const, source: 0, target: 1 }, inputs: [{ assetId: asset.id }, { assetId: 'b'.repeat(64) }] };

  it('sends the given Idempotency-Key and reports a replayed answer', async () => {
    const created = edit('queued', '2026-01-01T00:00:00.000Z');
    const mock = scriptedFetch(() => json(201, created, { 'idempotent-replayed': 'true' }));
    await expect(client(mock.fetch).createEdit(body, { idempotencyKey: 'same' })).resolves.toEqual({ edit: created, replayed: true, idempotencyKey: 'same' });
    expect(JSON.parse(mock.requests[0].body)).toEqual(body);
    expect(mock.requests[0].headers.get('idempotency-key')).toBe('same');
  });

  it('names the field at fault of a 422', async () => {
    const mock = scriptedFetch(() => problem(422, 'invalid_request', { field: 'inputs[1].assetId' }));
    await expect(client(mock.fetch).createEdit(body)).rejects.toMatchObject({ name: 'InvalidRequestError', field: 'inputs[1].assetId', status: 422 });
  });
});

describe('retries', () => {
  const body = { task: { preset: 'inpaint' as const, image: 0, regions: ['lips' as const], userMask: false }, inputs: [{ assetId: asset.id }] };

  it('waits Retry-After on 429 and sends the same key and body again', async () => {
    const sleeps: number[] = [];
    const mock = scriptedFetch(
      () => problem(429, 'rate_limited', {}, { 'retry-after': '2' }),
      () => json(201, edit('queued', '2026-01-01T00:00:00.000Z')),
    );
    await client(mock.fetch, sleeps).createEdit(body, { idempotencyKey: 'k' });
    expect(sleeps).toEqual([2000]);
    expect(mock.requests.map((request) => [request.headers.get('idempotency-key'), request.body])).toEqual([
      ['k', JSON.stringify(body)],
      ['k', JSON.stringify(body)],
    ]);
  });

  it('backs off exponentially (with jitter, capped) on 503 without Retry-After', async () => {
    const sleeps: number[] = [];
    const mock = scriptedFetch(
      () => problem(503, 'unavailable'),
      () => problem(503, 'unavailable'),
      () => problem(503, 'unavailable'),
      () => json(200, { secret: 'whsec_x' }),
    );
    await expect(client(mock.fetch, sleeps).webhookSecret()).resolves.toBe('whsec_x');
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, attempt) => expect(ms).toBeLessThanOrEqual(250 * 2 ** attempt));
  });

  it('gives up with a typed error once the retries are spent, carrying Retry-After', async () => {
    const answers = Array.from({ length: 5 }, () => () => problem(503, 'unavailable', {}, { 'retry-after': '1' }));
    const mock = scriptedFetch(...answers);
    const error = await client(mock.fetch)
      .tasks()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    expect([(error as UnavailableError).retryAfterSeconds, mock.requests.length]).toEqual([1, 5]);
  });

  it('does not wait a Retry-After longer than the cap: the 429 surfaces at once', async () => {
    const mock = scriptedFetch(() => problem(429, 'rate_limited', {}, { 'retry-after': '3600' }));
    await expect(client(mock.fetch).tasks()).rejects.toBeInstanceOf(RateLimitedError);
    expect(mock.remaining()).toBe(0);
  });

  it('retries a network failure of a GET but not of a POST without Idempotency-Key', async () => {
    const fail = (): Response => {
      throw new TypeError('fetch failed');
    };
    const get = scriptedFetch(fail, () => json(200, edit('running', '2026-01-01T00:00:01.000Z')));
    await expect(client(get.fetch).getEdit('ed_x')).resolves.toMatchObject({ status: 'running' });
    const post = scriptedFetch(fail);
    const raw = client(post.fetch);
    await expect(raw.api.POST('/v1/assets', { body: { url: 'https://example.com/a.jpg' } })).rejects.toThrow('fetch failed');
    expect(post.requests).toHaveLength(1);
  });
});

describe('waitForEdit', () => {
  const running = edit('running', '2026-01-01T00:00:01.000Z', { stage: 'extract', step: 1, steps: 2 });
  const rendering = edit('running', '2026-01-01T00:00:02.000Z', { stage: 'render', step: 3, steps: 10 });
  const done = edit('completed', '2026-01-01T00:00:03.000Z');

  it('follows the event stream, reporting every state, and returns the terminal edit', async () => {
    const mock = scriptedFetch(
      () =>
        new Response(
          sseBody([
            sse('1', 'status', running).slice(0, 20),
            sse('1', 'status', running).slice(20),
            ': heartbeat\n\n',
            sse('2', 'progress', rendering) + sse('3', 'status', done),
          ]),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const updates: Edit[] = [];
    await expect(client(mock.fetch).waitForEdit('ed_x', { onUpdate: (update) => updates.push(update) })).resolves.toEqual(done);
    expect(updates.map((update) => update.progress?.stage ?? update.status)).toEqual(['extract', 'render', 'completed']);
    expect([mock.requests[0].url, mock.requests[0].headers.get('authorization')]).toEqual([`${BASE}/v1/edits/ed_x/events`, 'Bearer fx_key']);
  });

  it('polls when the stream cannot be opened, without reporting the same state twice', async () => {
    const sleeps: number[] = [];
    const mock = scriptedFetch(
      () => new Response('bad gateway', { status: 502 }),
      () => json(200, running),
      () => json(200, running),
      () => json(200, done),
    );
    const updates: string[] = [];
    await expect(client(mock.fetch, sleeps).waitForEdit('ed_x', { pollIntervalMs: 300, onUpdate: (update) => updates.push(update.status) })).resolves.toEqual(
      done,
    );
    expect(updates).toEqual(['running', 'completed']);
    expect(sleeps).toEqual([300, 300]);
  });

  it('polls after a stream that breaks off before the end', async () => {
    const mock = scriptedFetch(
      () => new Response(sseBody([sse('1', 'status', running)]), { headers: { 'content-type': 'text/event-stream' } }),
      () => json(200, done),
    );
    await expect(client(mock.fetch).waitForEdit('ed_x')).resolves.toEqual(done);
    expect(mock.requests.map((request) => request.url)).toEqual([`${BASE}/v1/edits/ed_x/events`, `${BASE}/v1/edits/ed_x`]);
  });

  it('ends with NotFoundError for an unknown edit instead of polling', async () => {
    const mock = scriptedFetch(() => problem(404, 'not_found'));
    await expect(client(mock.fetch).waitForEdit('ed_x')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('only polls when told to', async () => {
    const mock = scriptedFetch(() => json(200, done));
    await client(mock.fetch).waitForEdit('ed_x', { transport: 'poll' });
    expect(mock.requests.map((request) => request.url)).toEqual([`${BASE}/v1/edits/ed_x`]);
  });
});

describe('downloadResult', () => {
  it('returns the bytes, content type and provenance', async () => {
    const mock = scriptedFetch(
      () =>
        new Response(new Uint8Array([137, 80, 78, 71]), {
          headers: { 'content-type': 'image/png', 'x-facex-generator': 'warp', 'x-facex-model-pack': 'facex-ford@1' },
        }),
    );
    const result = await client(mock.fetch).downloadResult('ed_x');
    expect({ ...result, bytes: Array.from(result.bytes) }).toEqual({
      bytes: [137, 80, 78, 71],
      contentType: 'image/png',
      generator: 'warp',
      modelPack: 'facex-ford@1',
    });
    expect(mock.requests[0].url).toBe(`${BASE}/v1/edits/ed_x/result`);
  });

  it("returns a video edit's MP4 bytes with their content type, asking for no image encoding", async () => {
    const mp4 = new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112, 105, 115, 111, 109]);
    const mock = scriptedFetch(
      () => new Response(mp4, { headers: { 'content-type': 'video/mp4', 'x-facex-generator': 'warp', 'x-facex-model-pack': 'none' } }),
    );
    const result = await client(mock.fetch).downloadResult('ed_x');
    expect([Array.from(result.bytes), result.contentType, result.generator]).toEqual([Array.from(mp4), 'video/mp4', 'warp']);
    // No query and no image-only Accept: the gateway serves the stored video.
    expect([mock.requests[0].url, mock.requests[0].headers.get('accept')]).toEqual([`${BASE}/v1/edits/ed_x/result`, null]);
  });

  it('throws ConflictError while the edit is not completed', async () => {
    const mock = scriptedFetch(() => problem(409, 'edit_not_completed'));
    await expect(client(mock.fetch).downloadResult('ed_x')).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('keys', () => {
  it('creates a key as JSON { name, admin } and returns it with its webhook secret', async () => {
    const issued = { id: 'key_0123456789abcdef0123', name: 'ci', key: `fx_${'0'.repeat(48)}`, webhookSecret: 'whsec_x' };
    const mock = scriptedFetch(() => json(201, issued));
    await expect(client(mock.fetch).createKey({ name: 'ci', admin: false })).resolves.toEqual(issued);
    expect(mock.requests.map((request) => [request.method, request.url, request.headers.get('authorization'), request.body])).toEqual([
      ['POST', `${BASE}/v1/keys`, 'Bearer fx_key', JSON.stringify({ name: 'ci', admin: false })],
    ]);
  });

  it('surfaces the 403 of a key that is not an admin key as a typed error with its code', async () => {
    const mock = scriptedFetch(() => problem(403, 'forbidden'));
    const error = await client(mock.fetch)
      .createKey({ name: 'ci' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FacexApiError);
    expect([(error as FacexApiError).status, (error as FacexApiError).code]).toEqual([403, 'forbidden']);
  });
});

describe('getJson', () => {
  it('calls a route the generated types do not know, with the key and typed errors', async () => {
    const mock = scriptedFetch(
      () => json(200, { faces: [] }),
      () => problem(404, 'not_found'),
    );
    const facex = client(mock.fetch);
    await expect(facex.getJson(`/v1/assets/${asset.id}/faces`)).resolves.toEqual({ faces: [] });
    expect(mock.requests[0].headers.get('authorization')).toBe('Bearer fx_key');
    await expect(facex.getJson('/v1/nothing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('verifyWebhook', () => {
  const secret = `whsec_${Buffer.from('a secret of 24 bytes....').toString('base64')}`;
  const event = { type: 'edit.completed', timestamp: new Date().toISOString(), data: { editId: 'ed_x', status: 'completed' } };
  const payload = JSON.stringify(event);
  const signed = (body: string): Record<string, string> => {
    const now = new Date();
    return {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', now, body),
    };
  };

  it('returns the event of a correctly signed delivery, from a header record or Headers', () => {
    expect(verifyWebhook(secret, payload, signed(payload))).toEqual(event);
    expect(verifyWebhook(secret, new TextEncoder().encode(payload), new Headers(signed(payload)))).toEqual(event);
  });

  it('refuses a tampered body, another secret and missing headers', () => {
    const headers = signed(payload);
    expect(() => verifyWebhook(secret, payload.replace('completed', 'failed'), headers)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(`whsec_${Buffer.from('another secret of 24 b..').toString('base64')}`, payload, headers)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, payload, {})).toThrow(WebhookVerificationError);
  });
});

describe('readServerSentEvents', () => {
  it('joins multi-line data, honours CRLF and bare CR line ends, skips comments and data-less blocks', async () => {
    const { readServerSentEvents } = await import('./sse.js');
    const events = [];
    for await (const event of readServerSentEvents(
      sseBody(['id: 7\r\nevent: status\r\ndata: {"a":\r\ndata: 1}\r\n\r\n', ': comment\n\nevent: lonely\n\n', 'data: x\r\rdata: tail']),
    ))
      events.push(event);
    // The last block has no blank line after it: an unfinished event is not dispatched.
    expect(events).toEqual([
      { event: 'status', id: '7', data: '{"a":\n1}' },
      { event: 'message', id: '7', data: 'x' },
    ]);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', async () => {
    const { retryAfterSeconds } = await import('./errors.js');
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds(new Headers({ 'retry-after': '7' }), now)).toBe(7);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterSeconds(new Headers(), now)).toBeUndefined();
  });
});

describe('cancelEdit and deleteAsset', () => {
  it('send DELETE to the edit and the asset; a finished edit is a ConflictError', async () => {
    const canceled = edit('canceled', '2026-01-01T00:00:04.000Z');
    const mock = scriptedFetch(
      () => json(200, canceled),
      () => new Response(null, { status: 204 }),
      () => problem(409, 'edit_finished'),
    );
    const facex = client(mock.fetch);
    await expect(facex.cancelEdit('ed_x')).resolves.toEqual(canceled);
    await expect(facex.deleteAsset(asset.id)).resolves.toBeUndefined();
    await expect(facex.cancelEdit('ed_x')).rejects.toBeInstanceOf(ConflictError);
    expect(mock.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `DELETE ${BASE}/v1/edits/ed_x`,
      `DELETE ${BASE}/v1/assets/${asset.id}`,
      `DELETE ${BASE}/v1/edits/ed_x`,
    ]);
  });
});
