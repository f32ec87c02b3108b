/**
 * Downloads a user-supplied URL safely: every hop (the URL and each redirect target) passes the SSRF check
 * and is fetched from the checked address; the body is capped while streaming; one deadline covers the whole
 * exchange, redirects and the body included. `openPublic` hands the body over as a stream (to be spooled to
 * disk), `fetchPublic` reads it into memory.
 */
import { FacexError } from '@facex/contracts';
import { assertPublicUrl, type UrlPolicy } from './assert-public-url';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { limitedBody, sendPinned } from './send-pinned';

export interface FetchPublicOptions {
  readonly maxBytes: number;
  /** Total time for all hops and the body. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** The Accept header sent, e.g. `image/jpeg, image/png`. */
  readonly accept?: string;
  readonly policy?: UrlPolicy;
}

export interface FetchedResource {
  /** The URL the body finally came from, after redirects. */
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** A response whose body is still to be read: it fails with the typed refusals of fetchPublic (limitedBody). */
export interface OpenedResource extends Omit<FetchedResource, 'body'> {
  readonly body: Readable;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function fetchPublic(input: string, options: FetchPublicOptions): Promise<FetchedResource> {
  const opened = await openPublic(input, options);
  return { ...opened, body: await buffer(opened.body) };
}

export async function openPublic(input: string, options: FetchPublicOptions): Promise<OpenedResource> {
  const field = options.policy?.field ?? 'url';
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current: string | URL = input;
  for (let hop = 0; ; hop++) {
    const target = await assertPublicUrl(current, options.policy, signal);
    const response = await sendPinned(target, {
      method: 'GET',
      headers: options.accept === undefined ? {} : { accept: options.accept },
      signal,
      field,
    });
    if (REDIRECT_STATUSES.has(response.status)) {
      response.body.resume();
      const location = response.headers.location;
      if (location === undefined) throw fetchFailed(field, `${target.url.origin} redirected without a Location`);
      if (hop >= options.maxRedirects) {
        throw fetchFailed(field, `more than ${options.maxRedirects} redirects`, { reason: 'too_many_redirects' });
      }
      current = new URL(location, target.url);
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      response.body.resume();
      throw fetchFailed(field, `${target.url.origin} answered HTTP ${response.status}`, { status: response.status });
    }
    const declaredLength = Number(response.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > options.maxBytes) {
      response.body.destroy();
      throw new FacexError('payload_too_large', `${field}: response is ${declaredLength} bytes, over ${options.maxBytes}`, {
        field,
        limit: options.maxBytes,
      });
    }
    const body = limitedBody(response.body, options.maxBytes, { url: target.url, signal, field });
    return { url: target.url.href, contentType: response.headers['content-type'], body };
  }
}

function fetchFailed(field: string, message: string, details: Record<string, unknown> = {}): FacexError {
  return new FacexError('url_fetch_failed', `${field}: ${message}`, { field, reason: 'http', ...details });
}
