/**
 * A loopback webhook receiver that verifies every delivery with `standardwebhooks` against the tenant's secret
 * and answers 200, so a delivery counts once; the tests assert exactly one delivery per event id.
 */
import { Webhook } from 'standardwebhooks';
import { startLoopbackServer, type LoopbackServer } from '@facex/net-guard/testing';

export interface ReceivedEvent {
  id: string;
  type: string;
  data: { editId: string; status: string; error?: { code: string; title: string } };
}

export interface WebhookReceiver {
  readonly url: string;
  /** Verified events in arrival order (every delivery, duplicates included). */
  readonly events: ReceivedEvent[];
  /** Deliveries whose signature did not verify. */
  readonly rejected: number;
  /** Resolves once `count` verified deliveries have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  /** Deliveries per event id. */
  countsById(): Map<string, number>;
  /** Verifies later deliveries with another secret (an endpoint's, known once it is registered). */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  let verifier = new Webhook(secret);
  const events: ReceivedEvent[] = [];
  let rejected = 0;
  const server: LoopbackServer = await startLoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        events.push(verifier.verify(Buffer.concat(chunks).toString('utf8'), request.headers as Record<string, string>) as ReceivedEvent);
        response.writeHead(200).end();
      } catch {
        rejected++;
        response.writeHead(400).end();
      }
    });
  });
  return {
    url: `${server.origin}/hook`,
    events,
    get rejected() {
      return rejected;
    },
    waitFor: async (count, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`${events.length} of ${count} webhooks arrived within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    countsById: () => {
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      return counts;
    },
    useSecret: (next) => {
      verifier = new Webhook(next);
    },
    close: () => server.close(),
  };
}
