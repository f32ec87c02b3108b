/**
 * The SSRF check: a URL may be fetched only when its scheme, credentials and port are acceptable and EVERY
 * address its hostname resolves to is public. The returned target carries the checked address, which the
 * request must connect to (see `sendPinned`), so a second DNS answer (rebinding) cannot swap it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { FacexError } from '@facex/contracts';
import { blockedRangeOf } from './ip-ranges';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a hostname to all of its addresses; injectable so tests can simulate any DNS answer. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface UrlPolicy {
  /**
   * Escape hatch for tests and embedded mode talking to loopback; never from user input. `true` skips the
   * address check; a list of range names (`['loopback']`) lets only those ranges through. Off by default.
   */
  readonly allowPrivate?: boolean | readonly string[];
  /** Ports a URL may name; `'any'` lifts the limit. */
  readonly allowedPorts?: readonly number[] | 'any';
  /** The request field the URL came from, named in error messages. */
  readonly field?: string;
  readonly resolver?: Resolver;
}

export const DEFAULT_ALLOWED_PORTS: readonly number[] = [80, 443, 8080, 8443];

export interface PublicTarget {
  readonly url: URL;
  /** The checked address the connection must go to. */
  readonly address: string;
  readonly family: 4 | 6;
}

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** `signal` bounds the DNS lookup too, so a slow resolver counts against the caller's deadline. */
export async function assertPublicUrl(input: string | URL, policy: UrlPolicy = {}, signal?: AbortSignal): Promise<PublicTarget> {
  const field = policy.field ?? 'url';
  const refuse = (reason: string, message: string, details: Record<string, unknown> = {}): FacexError =>
    new FacexError('url_not_allowed', `${field}: ${message}`, { field, reason, ...details });

  const url = parseUrl(input);
  if (url === null) throw refuse('invalid_url', 'not a valid absolute URL');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse('scheme', `scheme ${url.protocol} is not allowed (http or https only)`);
  }
  if (url.username !== '' || url.password !== '') throw refuse('credentials', 'credentials in the URL are not allowed');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const allowedPorts = policy.allowedPorts ?? DEFAULT_ALLOWED_PORTS;
  if (allowedPorts !== 'any' && !allowedPorts.includes(port)) {
    throw refuse('port', `port ${port} is not allowed`, { port });
  }

  const addresses = await resolveHost(url, policy.resolver ?? systemResolver, field, signal);
  if (policy.allowPrivate !== true) {
    const allowedRanges = policy.allowPrivate || [];
    for (const { address } of addresses) {
      const range = blockedRangeOf(address);
      if (range !== null && !allowedRanges.includes(range)) {
        throw refuse('blocked_address', `${url.hostname} resolves to ${address} (${range}), which is not allowed`, {
          address,
          range,
        });
      }
    }
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family };
}

function parseUrl(input: string | URL): URL | null {
  if (input instanceof URL) return new URL(input.href);
  try {
    // The WHATWG parser normalises decimal, octal and hex IPv4 spellings (`http://2130706433/`) to dotted quads.
    return new URL(input);
  } catch {
    return null;
  }
}

const UNRESOLVABLE = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

async function resolveHost(url: URL, resolver: Resolver, field: string, signal: AbortSignal | undefined): Promise<readonly ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literalFamily = isIP(host);
  if (literalFamily !== 0) return [{ address: host, family: literalFamily === 6 ? 6 : 4 }];
  let answers: readonly ResolvedAddress[];
  try {
    answers = await (signal ? raceAbort(resolver(host), signal) : resolver(host));
  } catch (error) {
    if (signal?.aborted) {
      throw new FacexError('url_fetch_timeout', `${field}: resolving ${host} took too long`, { field, reason: 'timeout' });
    }
    const cause = (error as NodeJS.ErrnoException).code ?? String(error);
    // NXDOMAIN / no record is an answer about the name; anything else (SERVFAIL, EAI_AGAIN) is our resolver failing.
    const code = UNRESOLVABLE.has(cause) ? 'url_unresolvable' : 'url_fetch_failed';
    throw new FacexError(code, `${field}: cannot resolve ${host}`, { field, reason: 'dns', cause });
  }
  if (answers.length === 0) {
    throw new FacexError('url_unresolvable', `${field}: ${host} has no addresses`, { field, reason: 'dns' });
  }
  return answers;
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the lookup itself cannot be cancelled). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
