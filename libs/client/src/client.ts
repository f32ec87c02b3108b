/**
 * The FaceX API client: openapi-fetch over the types generated from docs/openapi.json, plus the calls every
 * integration writes (upload, create an edit idempotently, wait for it, download the result). Uses only fetch,
 * streams and Web Crypto, so it runs in Node 20+ and browsers alike.
 */
import createClient, { type Client } from 'openapi-fetch';
import { apiErrorFromResponse, apiErrorOf, FacexApiError } from './errors.js';
import type { components, paths } from './generated/openapi.js';
import { sleep, withRetries, type RetryOptions, type Sleep } from './retry.js';
import { readServerSentEvents } from './sse.js';

export type Asset = components['schemas']['Asset'];
export type Edit = components['schemas']['Edit'];
export type EditStatus = Edit['status'];
export type CreateEditRequest = components['schemas']['CreateEditRequest'];
export type TaskCatalog = components['schemas']['TaskCatalog'];
export type Account = components['schemas']['Account'];
export type ApiKeyRequest = components['schemas']['ApiKeyRequest'];
export type IssuedApiKey = components['schemas']['IssuedApiKey'];

export const TERMINAL_STATUSES: readonly EditStatus[] = ['completed', 'failed', 'canceled'];
export const isTerminal = (edit: Pick<Edit, 'status'>): boolean => TERMINAL_STATUSES.includes(edit.status);

export interface FacexClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:3000` (no trailing `/v1`). */
  baseUrl: string;
  /** An API key (`fx_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Retries on 429/503 (and network failures of repeatable requests). */
  retry?: RetryOptions;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: (request: Request) => Promise<Response>;
  /** How the client waits between retries and polls (tests replace it). */
  sleep?: Sleep;
}

export interface UploadOptions {
  /** Name sent with the file part (the gateway identifies images by content, not by name). */
  filename?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface CreatedEdit {
  edit: Edit;
  /** True when the gateway answered a repeated request with the first answer (same Idempotency-Key and body). */
  replayed: boolean;
  /** The key the request carried: reuse it to repeat the request safely. */
  idempotencyKey: string;
}

export interface WaitOptions {
  /** Called with every new state of the edit (status changes and per-stage progress). */
  onUpdate?: (edit: Edit) => void;
  /** `sse` (default) follows the event stream and polls only if it fails; `poll` only polls. */
  transport?: 'sse' | 'poll';
  /** Poll interval in ms (default 1000). */
  pollIntervalMs?: number;
  /** Ends the wait with the signal's reason (use `AbortSignal.timeout(ms)` for a deadline). */
  signal?: AbortSignal;
}

export interface DownloadedResult {
  bytes: Uint8Array;
  contentType: string;
  /** What made it (`X-FaceX-Generator`, `X-FaceX-Model-Pack`), when the answer was not a redirect. */
  generator: string | null;
  modelPack: string | null;
}

/** A fresh Idempotency-Key (128 random bits); Web Crypto's getRandomValues also works outside secure contexts. */
export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `idem_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

function unwrap<T>(result: Result<T>): T {
  if (result.error !== undefined || !result.response.ok) throw apiErrorOf(result.response, result.error);
  return result.data as T;
}

export class FacexClient {
  /** The typed openapi-fetch client, for calls without a helper: `client.api.GET('/v1/tasks')`. */
  readonly api: Client<paths>;
  readonly baseUrl: string;
  private readonly fetchOnce: (request: Request) => Promise<Response>;
  private readonly fetchRetrying: (request: Request) => Promise<Response>;
  private readonly authorization: string;
  private readonly sleep: Sleep;

  constructor(options: FacexClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Bearer ${options.apiKey}`;
    this.sleep = options.sleep ?? sleep;
    // Read at call time, so a fetch replaced after construction (tests, polyfills) is the one used.
    this.fetchOnce = options.fetch ?? ((request) => globalThis.fetch(request));
    this.fetchRetrying = withRetries(this.fetchOnce, options.retry, this.sleep);
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: this.fetchRetrying, headers: { authorization: this.authorization } });
  }

  /** Uploads image bytes (a File, Blob, Uint8Array or ArrayBuffer) as multipart `file`. */
  async uploadFile(file: Blob | Uint8Array | ArrayBuffer, options: UploadOptions = {}): Promise<Asset> {
    const form = new FormData();
    const blob = file instanceof Blob ? file : new Blob([file instanceof Uint8Array ? new Uint8Array(file) : file]);
    form.append('file', blob, options.filename ?? ((file as { name?: unknown }).name as string | undefined) ?? 'image');
    return unwrap(
      await this.api.POST('/v1/assets', {
        // The multipart body is built above; openapi-fetch passes a FormData through with its own content type.
        body: {} as { file: string },
        bodySerializer: () => form,
        params: { header: { 'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey() } },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }

  /** Has the gateway fetch an image from a public http(s) URL. */
  async uploadUrl(url: string, options: Omit<UploadOptions, 'filename'> = {}): Promise<Asset> {
    return unwrap(
      await this.api.POST('/v1/assets', {
        body: { url },
        params: { header: { 'Idempotency-Key': options.idempotencyKey ?? newIdempotencyKey() } },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }

  /**
   * Creates an edit with an Idempotency-Key (a fresh one unless given): a retried or repeated request with the
   * same key and body gets the same edit back instead of a second one.
   */
  async createEdit(body: CreateEditRequest, options: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<CreatedEdit> {
    const idempotencyKey = options.idempotencyKey ?? newIdempotencyKey();
    const result = await this.api.POST('/v1/edits', {
      body,
      params: { header: { 'Idempotency-Key': idempotencyKey } },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { edit: unwrap(result), replayed: result.response.headers.get('idempotent-replayed') === 'true', idempotencyKey };
  }

  async getEdit(id: string, signal?: AbortSignal): Promise<Edit> {
    return unwrap(await this.api.GET('/v1/edits/{id}', { params: { path: { id } }, ...(signal ? { signal } : {}) }));
  }

  async cancelEdit(id: string): Promise<Edit> {
    return unwrap(await this.api.DELETE('/v1/edits/{id}', { params: { path: { id } } }));
  }

  async deleteAsset(id: string): Promise<void> {
    unwrap(await this.api.DELETE('/v1/assets/{id}', { params: { path: { id } } }));
  }

  async tasks(): Promise<TaskCatalog> {
    return unwrap(await this.api.GET('/v1/tasks'));
  }

  /** This key, whether it is an admin key, and the deployment's retention and limits. */
  async account(): Promise<Account> {
    return unwrap(await this.api.GET('/v1/account'));
  }

  /** A new API key (the calling key must be an admin key); `key` is shown only in this response. */
  async createKey(body: ApiKeyRequest): Promise<IssuedApiKey> {
    return unwrap(await this.api.POST('/v1/keys', { body }));
  }

  /** This key's Standard Webhooks secret (`whsec_…`), for verifyWebhook. */
  async webhookSecret(): Promise<string> {
    return unwrap(await this.api.GET('/v1/webhook-secret')).secret;
  }

  /**
   * GET of a JSON route the generated types may not know yet (routes added after this client was built), with
   * the same authentication, retries and typed errors as the typed calls.
   */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.fetchRetrying(
      new Request(`${this.baseUrl}${path}`, { headers: { authorization: this.authorization, accept: 'application/json' }, ...(signal ? { signal } : {}) }),
    );
    if (!response.ok) throw await apiErrorFromResponse(response);
    return (await response.json()) as T;
  }

  /**
   * Waits until the edit is completed, failed or canceled and returns it (check `status`; a failed edit's
   * `error` says why). Follows the server-sent events of `/v1/edits/{id}/events`; when the stream cannot be
   * opened or breaks off, it polls `GET /v1/edits/{id}` instead. 401 and 404 end the wait with their error.
   */
  async waitForEdit(id: string, options: WaitOptions = {}): Promise<Edit> {
    const { signal } = options;
    let last: Edit | undefined;
    const update = (edit: Edit): void => {
      if (last && last.updatedAt === edit.updatedAt && last.status === edit.status) return;
      last = edit;
      options.onUpdate?.(edit);
    };
    if ((options.transport ?? 'sse') === 'sse') {
      try {
        const ended = await this.followEvents(id, update, signal);
        if (ended) return ended;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof FacexApiError && (error.status === 401 || error.status === 404)) throw error;
        // Any other failure (a proxy without streaming, a dropped connection, 503): poll instead.
      }
    }
    for (;;) {
      const edit = await this.getEdit(id, signal);
      update(edit);
      if (isTerminal(edit)) return edit;
      await this.sleep(options.pollIntervalMs ?? 1000, signal);
    }
  }

  /** The terminal edit from the event stream, or undefined when the stream ended before it. */
  private async followEvents(id: string, update: (edit: Edit) => void, signal: AbortSignal | undefined): Promise<Edit | undefined> {
    const request = new Request(`${this.baseUrl}/v1/edits/${encodeURIComponent(id)}/events`, {
      headers: { authorization: this.authorization, accept: 'text/event-stream' },
      ...(signal ? { signal } : {}),
    });
    const response = await this.fetchOnce(request);
    if (!response.ok) throw await apiErrorFromResponse(response);
    if (!response.body) return undefined;
    for await (const event of readServerSentEvents(response.body)) {
      if (event.event !== 'status' && event.event !== 'progress') continue;
      const edit = JSON.parse(event.data) as Edit;
      update(edit);
      if (isTerminal(edit)) return edit;
    }
    return undefined;
  }

  /** The result image of a completed edit (following a redirect to a presigned URL). 409 while not completed. */
  async downloadResult(id: string, signal?: AbortSignal): Promise<DownloadedResult> {
    const result = await this.api.GET('/v1/edits/{id}/result', { params: { path: { id } }, parseAs: 'arrayBuffer', ...(signal ? { signal } : {}) });
    if (!result.response.ok) {
      throw apiErrorOf(result.response, result.error);
    }
    const { headers } = result.response;
    return {
      bytes: new Uint8Array(result.data as ArrayBuffer),
      contentType: headers.get('content-type') ?? 'application/octet-stream',
      generator: headers.get('x-facex-generator'),
      modelPack: headers.get('x-facex-model-pack'),
    };
  }
}

/** `createFacexClient({ baseUrl, apiKey })`: see FacexClient. */
export function createFacexClient(options: FacexClientOptions): FacexClient {
  return new FacexClient(options);
}
