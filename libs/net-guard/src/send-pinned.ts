/**
 * One HTTP exchange (node:http / node:https) with the connection pinned to the address `assertPublicUrl`
 * checked: the request's `lookup` answers with that address whatever DNS says now, while the Host header and
 * TLS server name stay the URL's hostname, so certificates are still verified against the name.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import { FacexError } from '@facex/contracts';
import type { PublicTarget } from './assert-public-url';

export interface PinnedRequest {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Aborts the exchange, including reading the body; an abort is reported as `url_fetch_timeout`. */
  readonly signal: AbortSignal;
  /** The request field the URL came from, named in error messages. */
  readonly field?: string;
}

export interface PinnedResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Readable;
}

export function sendPinned(target: PublicTarget, request: PinnedRequest): Promise<PinnedResponse> {
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it races families (autoSelectFamily); answer in both shapes.
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<PinnedResponse>((resolve, reject) => {
    const outgoing = transport.request(target.url, {
      method: request.method,
      headers: request.headers,
      lookup: pinnedLookup,
      // A fresh connection per exchange: a pooled socket would not be tied to this check.
      agent: false,
      signal: request.signal,
    });
    outgoing.once('response', (incoming) => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming }));
    outgoing.once('error', (error) => reject(toFetchError(error, request.signal, target.url, request.field)));
    outgoing.end(request.body);
  });
}

interface BodyContext {
  readonly url: URL;
  readonly signal: AbortSignal;
  readonly field?: string;
}

/**
 * `body` as a stream that fails with a typed error, so a consumer writing it anywhere (memory, a file) gets the
 * same refusals: `payload_too_large` as soon as it passes `maxBytes` (the download is stopped, so an endless or
 * oversized response is never read to its end), a timeout or a failed fetch otherwise (toFetchError). A consumer
 * that stops reading early stops the download too.
 */
export function limitedBody(body: Readable, maxBytes: number, context: BodyContext): Readable {
  const field = context.field ?? 'url';
  let received = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > maxBytes) done(new FacexError('payload_too_large', `${field}: response exceeds ${maxBytes} bytes`, { field, limit: maxBytes }));
      else done(null, chunk);
    },
  });
  body.once('error', (error) => limited.destroy(toFetchError(error, context.signal, context.url, field)));
  limited.once('close', () => body.destroy());
  return body.pipe(limited);
}

/** Maps a transport failure to a typed error: the deadline passing is a timeout, anything else a failed fetch. */
export function toFetchError(error: unknown, signal: AbortSignal, url: URL, field = 'url'): FacexError {
  if (error instanceof FacexError) return error;
  if (signal.aborted) {
    return new FacexError('url_fetch_timeout', `${field}: ${url.origin} did not answer in time`, {
      field,
      reason: 'timeout',
    });
  }
  const cause = (error as NodeJS.ErrnoException).code ?? String(error);
  return new FacexError('url_fetch_failed', `${field}: request to ${url.origin} failed (${cause})`, {
    field,
    reason: 'network',
    cause,
  });
}
