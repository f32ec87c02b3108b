/**
 * Server-sent events of one edit: polls the edit record (its lifecycle writes status and progress to Redis)
 * and sends `status` when the status changes and `progress` when only the progress does, each with the edit
 * view as data and the record's `updatedAt` (epoch ms) as id. A client resuming with `Last-Event-ID` gets
 * nothing it has already seen. Comment heartbeats keep proxies from closing an idle stream; the stream ends
 * after the terminal status. A failed poll (Redis briefly down) is skipped, not fatal.
 */
import { TERMINAL_STATUSES, type EditRecord } from '@facex/contracts';
import { toEditResponse } from '@facex/gateway-core';

export function formatSseEvent(event: string, id: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_HEARTBEAT = ': heartbeat\n\n';

export interface EditEventStreamOptions {
  load(): Promise<EditRecord | null>;
  write(chunk: string): void;
  pollMs: number;
  heartbeatMs: number;
  lastEventId?: string;
  signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Runs until the edit ends, disappears, or `signal` aborts (the client went away). */
export async function streamEditEvents(options: EditEventStreamOptions): Promise<void> {
  let lastId = options.lastEventId;
  let lastStatus: string | undefined;
  let lastWrite = Date.now();
  while (!options.signal.aborted) {
    let edit: EditRecord | null | undefined;
    try {
      edit = await options.load();
    } catch {
      edit = undefined;
    }
    if (edit === null) return;
    if (edit) {
      const id = String(Date.parse(edit.updatedAt));
      if (id !== lastId) {
        options.write(formatSseEvent(edit.status === lastStatus ? 'progress' : 'status', id, toEditResponse(edit)));
        lastId = id;
        lastWrite = Date.now();
      }
      lastStatus = edit.status;
      if (TERMINAL_STATUSES.includes(edit.status)) return;
    }
    if (Date.now() - lastWrite >= options.heartbeatMs) {
      options.write(SSE_HEARTBEAT);
      lastWrite = Date.now();
    }
    await sleep(options.pollMs, options.signal);
  }
}
