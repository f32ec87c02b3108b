import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { FacexError, isFacexError } from '@facex/contracts';
import type { UrlPolicy } from './assert-public-url';
import { fetchPublic, openPublic, type FetchPublicOptions } from './fetch-public';
import { startLoopbackServer, type LoopbackServer } from './testing/loopback-server';

/** The loopback test server is let through by name; every other private range stays blocked. */
const loopbackOnly: UrlPolicy = { allowPrivate: ['loopback'], allowedPorts: 'any' };
const options: FetchPublicOptions = { maxBytes: 1024, timeoutMs: 2000, maxRedirects: 3, policy: loopbackOnly };

async function fetchError(url: string, overrides: Partial<FetchPublicOptions> = {}): Promise<FacexError> {
  try {
    await fetchPublic(url, { ...options, ...overrides });
  } catch (error) {
    if (isFacexError(error)) return error;
    throw error;
  }
  throw new Error(`${url} was fetched`);
}

describe('fetchPublic', () => {
  let server: LoopbackServer;
  const routes = new Map<string, (response: ServerResponse, accept: string | undefined) => void>();
  const hostHeaders: (string | undefined)[] = [];

  beforeAll(async () => {
    server = await startLoopbackServer((request, response) => {
      hostHeaders.push(request.headers.host);
      const route = routes.get(request.url ?? '');
      if (route) route(response, request.headers.accept);
      else response.writeHead(404).end();
    });
    routes.set('/photo.jpg', (response, accept) =>
      response.writeHead(200, { 'content-type': 'image/jpeg', 'x-accept': accept ?? '' }).end(Buffer.alloc(100, 7)),
    );
    routes.set('/hop1', (response) => response.writeHead(302, { location: '/hop2' }).end());
    routes.set('/hop2', (response) => response.writeHead(301, { location: `${server.origin}/photo.jpg` }).end());
    routes.set('/to-metadata', (response) => response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    routes.set('/loop', (response) => response.writeHead(307, { location: '/loop' }).end());
    routes.set('/declared-big', (response) => response.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000)));
    routes.set('/endless', (response) => {
      // No Content-Length: the cap must be enforced while streaming.
      response.writeHead(200);
      const timer = setInterval(() => response.write(Buffer.alloc(256)), 1);
      response.on('close', () => clearInterval(timer));
    });
    routes.set('/slow', (response) => {
      response.writeHead(200);
      response.write('x');
      const timer = setTimeout(() => response.end('y'), 5000);
      response.on('close', () => clearTimeout(timer));
    });
    routes.set('/gone', (response) => response.writeHead(410).end());
    routes.set('/endless-counted', (response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write(Buffer.alloc(256)), 1);
      response.on('close', () => {
        clearInterval(timer);
        endlessClosed.push(Date.now());
      });
    });
  });
  /** When the server saw each /endless-counted response closed. */
  const endlessClosed: number[] = [];

  afterAll(() => server.close());

  it('returns the body and content type, sending the Accept header', async () => {
    const fetched = await fetchPublic(`${server.origin}/photo.jpg`, { ...options, accept: 'image/jpeg' });
    expect(fetched.body).toEqual(Buffer.alloc(100, 7));
    expect(fetched.contentType).toBe('image/jpeg');
    expect(fetched.url).toBe(`${server.origin}/photo.jpg`);
  });

  it('follows relative and absolute redirects, reporting the final URL', async () => {
    const fetched = await fetchPublic(`${server.origin}/hop1`, options);
    expect(fetched.url).toBe(`${server.origin}/photo.jpg`);
    expect(fetched.body.length).toBe(100);
  });

  it('re-checks every hop: a redirect to the cloud metadata address is refused', async () => {
    const error = await fetchError(`${server.origin}/to-metadata`);
    expect(error.code).toBe('url_not_allowed');
    expect(error.details).toMatchObject({ range: 'link-local', address: '169.254.169.254' });
  });

  it('gives up after maxRedirects hops', async () => {
    const before = server.requestCount();
    const error = await fetchError(`${server.origin}/loop`);
    expect(error.code).toBe('url_fetch_failed');
    expect(error.details).toMatchObject({ reason: 'too_many_redirects' });
    expect(server.requestCount() - before).toBe(options.maxRedirects + 1);
  });

  it('refuses a declared Content-Length over the limit', async () => {
    const error = await fetchError(`${server.origin}/declared-big`);
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
  });

  it('aborts a streamed body as soon as it passes maxBytes', async () => {
    const started = Date.now();
    const error = await fetchError(`${server.origin}/endless`, { maxBytes: 4096 });
    expect(error.code).toBe('payload_too_large');
    expect(error.details).toMatchObject({ limit: 4096 });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops a slow response at the total time limit', async () => {
    const started = Date.now();
    const error = await fetchError(`${server.origin}/slow`, { timeoutMs: 200 });
    expect(error.code).toBe('url_fetch_timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a non-2xx answer as a failed fetch with its status', async () => {
    const error = await fetchError(`${server.origin}/gone`);
    expect(error.code).toBe('url_fetch_failed');
    expect(error.details).toMatchObject({ status: 410 });
  });

  it('connects to the checked address, not to what DNS says later (pinned lookup)', async () => {
    let lookups = 0;
    const policy: UrlPolicy = {
      ...loopbackOnly,
      // Resolves once to the test server; a second lookup (rebinding) would point elsewhere and is never made.
      resolver: async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.9.9.9', family: 4 }]),
    };
    const fetched = await fetchPublic(`http://rebind.test:${server.port}/photo.jpg`, { ...options, policy });
    expect(fetched.body.length).toBe(100);
    expect(lookups).toBe(1);
    expect(hostHeaders.at(-1)).toBe(`rebind.test:${server.port}`);
  });

  it('refuses a hostname resolving to loopback without the escape hatch, before connecting', async () => {
    const before = server.requestCount();
    const error = await fetchError(`http://rebind.test:${server.port}/photo.jpg`, {
      policy: { allowedPorts: 'any', resolver: async () => [{ address: '127.0.0.1', family: 4 }] },
    });
    expect(error).toBeInstanceOf(FacexError);
    expect(error.code).toBe('url_not_allowed');
    expect(server.requestCount()).toBe(before);
  });

  describe('openPublic (the body as a stream, for a consumer that spools it)', () => {
    it('streams the body with the same content type and final URL', async () => {
      const opened = await openPublic(`${server.origin}/hop1`, options);
      const chunks: Buffer[] = [];
      for await (const chunk of opened.body) chunks.push(chunk as Buffer);
      expect([opened.url, opened.contentType, Buffer.concat(chunks)]).toEqual([`${server.origin}/photo.jpg`, 'image/jpeg', Buffer.alloc(100, 7)]);
    });

    it('fails the stream with payload_too_large once it passes maxBytes, and the download stops', async () => {
      const opened = await openPublic(`${server.origin}/endless-counted`, { ...options, maxBytes: 4096 });
      const closedBefore = endlessClosed.length;
      const failure = await (async () => {
        for await (const _chunk of opened.body);
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FacexError);
      expect(failure).toMatchObject({ code: 'payload_too_large', details: { limit: 4096 } });
      // The server sees the response closed: the download was stopped, not drained to the end.
      while (endlessClosed.length === closedBefore) await delay(10);
    });

    it('fails the stream with url_fetch_timeout when the deadline passes mid-body', async () => {
      const opened = await openPublic(`${server.origin}/slow`, { ...options, timeoutMs: 200 });
      const failure = await (async () => {
        for await (const _chunk of opened.body);
      })().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'url_fetch_timeout' });
    });
  });
});
