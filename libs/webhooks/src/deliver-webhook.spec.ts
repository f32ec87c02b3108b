import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { FacexError, isFacexError } from '@facex/contracts';
import type { UrlPolicy } from '@facex/net-guard';
import { startLoopbackServer, type LoopbackServer } from '@facex/net-guard/testing';
import { buildEditEvent } from './build-edit-event';
import { deliverWebhook } from './deliver-webhook';
import { signWebhook } from './sign-webhook';
import { WebhookDeliveryService } from './webhook-delivery-service';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const loopbackOnly: UrlPolicy = { allowPrivate: ['loopback'], allowedPorts: 'any' };
const editId = 'ed_0123456789abcdefghjkmnpqrs';
const event = buildEditEvent({ id: editId }, 'edit.completed', 'https://api.facex.example');

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

describe('deliverWebhook', () => {
  let server: LoopbackServer;
  const received: Received[] = [];
  let answerStatus = 204;
  let answerDelayMs = 0;

  beforeAll(async () => {
    server = await startLoopbackServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const timer = setTimeout(() => response.writeHead(answerStatus, { location: 'http://169.254.169.254/' }).end(), answerDelayMs);
        response.on('close', () => clearTimeout(timer));
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    answerStatus = 204;
    answerDelayMs = 0;
  });

  const deliver = (endpoint = `${server.origin}/hooks`, timeoutMs = 2000) => deliverWebhook(endpoint, event, SECRET, { timeoutMs, policy: loopbackOnly });

  it('sends a body whose signature verifies with standardwebhooks Webhook.verify', async () => {
    const outcome = await deliver();
    expect(outcome).toMatchObject({ verdict: 'delivered', status: 204 });
    const { headers, body } = received.at(-1)!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-id']).toBe(event.id);
    const verified = new Webhook(SECRET).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    expect(verified).toEqual(event);
  });

  it('fails verification when the body is altered by one byte', () => {
    const signed = signWebhook(SECRET, event, new Date());
    const tampered = signed.body.replace('completed', 'Completed');
    expect(() => new Webhook(SECRET).verify(tampered, signed.headers)).toThrow();
  });

  it("signs with every secret of a rotation's overlap, one space-separated signature each, verifiable with either", () => {
    const next = 'whsec_QmFzZTY0U2VjcmV0Rm9yUm90YXRpb25UZXN0';
    const signed = signWebhook([next, SECRET], event, new Date());
    expect(signed.headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [next, SECRET]) expect(new Webhook(secret).verify(signed.body, signed.headers)).toEqual(event);
    expect(() => new Webhook('whsec_T3RoZXJTZWNyZXROb3RJblVzZUF0QWxsWFla').verify(signed.body, signed.headers)).toThrow();
    expect(() => signWebhook([], event, new Date())).toThrow(expect.objectContaining({ code: 'invalid_webhook_secret' }));
  });

  it('keeps the event id across retries but signs each attempt with its own timestamp', () => {
    const first = signWebhook(SECRET, event, new Date('2026-11-27T05:00:00Z'));
    const retry = signWebhook(SECRET, event, new Date('2026-11-27T05:10:00Z'));
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retry.body).toBe(first.body);
    expect(retry.headers['webhook-timestamp']).not.toBe(first.headers['webhook-timestamp']);
  });

  it.each([
    [200, 'delivered'],
    [400, 'failed_permanently'],
    [401, 'failed_permanently'],
    [410, 'failed_permanently'],
    [301, 'failed_permanently'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
  ])('classifies a %i answer as %s without following redirects', async (status, verdict) => {
    answerStatus = status;
    const before = server.requestCount();
    const outcome = await deliver();
    expect(outcome).toMatchObject({ verdict, status });
    expect(server.requestCount() - before).toBe(1);
  });

  it('classifies a receiver that does not answer in time as retryable', async () => {
    answerDelayMs = 2000;
    const outcome = await deliver(undefined, 100);
    expect(outcome.verdict).toBe('retryable');
    expect(outcome.reason).toMatch(/^url_fetch_timeout/);
    expect(outcome.durationMs).toBeLessThan(1000);
  });

  it('classifies a refused connection as retryable', async () => {
    const closed = await startLoopbackServer(() => undefined);
    const endpoint = `${closed.origin}/hooks`;
    await closed.close();
    const outcome = await deliver(endpoint);
    expect(outcome.verdict).toBe('retryable');
    expect(outcome.reason).toMatch(/^url_fetch_failed/);
  });

  it.each(['http://169.254.169.254/hooks', 'http://localhost/hooks', 'http://[::1]/hooks', 'http://10.0.0.5/hooks'])(
    'refuses SSRF target %s permanently, before any connection',
    async (endpoint) => {
      const outcome = await deliverWebhook(endpoint, event, SECRET, {
        timeoutMs: 500,
        policy: { resolver: async () => [{ address: '127.0.0.1', family: 4 }] },
      });
      expect(outcome.verdict).toBe('failed_permanently');
      expect(outcome.reason).toMatch(/^url_not_allowed/);
      expect(outcome.status).toBeUndefined();
    },
  );

  it('refuses a secret that is not whsec_ base64, permanently', async () => {
    const outcome = await deliverWebhook(`${server.origin}/hooks`, event, 'hunter2', { timeoutMs: 500, policy: loopbackOnly });
    expect(outcome.verdict).toBe('failed_permanently');
    expect(outcome.reason).toMatch(/^invalid_webhook_secret/);
  });
});

describe('WebhookDeliveryService', () => {
  let server: LoopbackServer;
  let answerStatus = 200;
  beforeAll(async () => {
    server = await startLoopbackServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(answerStatus).end());
    });
  });
  afterAll(() => server.close());

  it('returns settled outcomes and reports each one', async () => {
    const seen: string[] = [];
    const service = new WebhookDeliveryService({
      timeoutMs: 2000,
      policy: loopbackOnly,
      onOutcome: (outcome) => seen.push(outcome.verdict),
    });
    answerStatus = 200;
    await expect(service.deliver({ endpoint: `${server.origin}/h`, secret: SECRET, event })).resolves.toMatchObject({
      verdict: 'delivered',
    });
    answerStatus = 404;
    await expect(service.deliver({ endpoint: `${server.origin}/h`, secret: SECRET, event })).resolves.toMatchObject({
      verdict: 'failed_permanently',
    });
    expect(seen).toEqual(['delivered', 'failed_permanently']);
  });

  it('throws a retryable FacexError naming the event for the queue to retry', async () => {
    answerStatus = 503;
    const service = new WebhookDeliveryService({ timeoutMs: 2000, policy: loopbackOnly });
    const error = await service.deliver({ endpoint: `${server.origin}/h`, secret: SECRET, event }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacexError);
    expect(isFacexError(error, 'webhook_delivery_failed') && error.retryable).toBe(true);
    expect((error as FacexError).details).toMatchObject({ eventId: event.id, status: 503 });
  });
});
