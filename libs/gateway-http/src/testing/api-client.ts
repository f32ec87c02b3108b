/** The HTTP calls the end-to-end and fault tests make, as a tenant with one API key. */
import type { EditResponse } from '@facex/contracts';

export interface CreatedEdit {
  status: number;
  edit: EditResponse;
  replayed: boolean;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  async upload(bytes: Uint8Array): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'photo.jpg');
    const response = await fetch(`${this.baseUrl}/v1/assets`, { method: 'POST', headers: this.headers, body: form });
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  }

  /** POST /v1/edits; the raw response for tests that expect an error. */
  post(body: unknown, idempotencyKey?: string): Promise<Response> {
    const headers = { ...this.headers, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) };
    return fetch(`${this.baseUrl}/v1/edits`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async create(body: unknown, idempotencyKey?: string): Promise<CreatedEdit> {
    const response = await this.post(body, idempotencyKey);
    if (response.status !== 201) throw new Error(`POST /v1/edits answered ${response.status}: ${await response.text()}`);
    return { status: response.status, edit: (await response.json()) as EditResponse, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }

  async get(editId: string): Promise<EditResponse> {
    const response = await fetch(`${this.baseUrl}/v1/edits/${editId}`, { headers: this.headers });
    if (response.status !== 200) throw new Error(`GET edit answered ${response.status}`);
    return (await response.json()) as EditResponse;
  }

  /** Polls the edit until it is completed, failed or canceled. */
  async settled(editId: string, timeoutMs: number): Promise<EditResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const edit = await this.get(editId);
      if (edit.status === 'completed' || edit.status === 'failed' || edit.status === 'canceled') return edit;
      if (Date.now() > deadline) throw new Error(`edit ${editId} still ${edit.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
