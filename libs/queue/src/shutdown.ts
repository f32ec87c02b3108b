/**
 * Graceful shutdown: on SIGTERM/SIGINT stop taking jobs, let in-flight jobs finish (BullMQ's Worker.close
 * waits for them; a job still running when the orchestrator kills the pod is picked up again as stalled),
 * then close the remaining resources in order. A second signal does not start a second shutdown.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Closable {
  close(): Promise<void>;
}

/** How long closing waits for BullMQ clients to finish starting (a connection coming up takes milliseconds). */
export const START_UP_WAIT_MS = 2_000;

/**
 * Waits, at most `timeoutMs`, for BullMQ clients (queues, workers, flow producers) to finish starting. A client
 * closed mid-start fails its start-up on the closed connection after close has dropped every listener, which
 * surfaces as an uncaught error; one that has started closes cleanly. A Redis that never answers never lets
 * them start, hence the bound; a failed start is reported through their 'error' events.
 */
export async function settleStartUp(clients: ReadonlyArray<{ waitUntilReady(): Promise<unknown> }>, timeoutMs = START_UP_WAIT_MS): Promise<void> {
  const started = Promise.allSettled(clients.map((client) => client.waitUntilReady()));
  await Promise.race([started, delay(timeoutMs, undefined, { ref: false })]);
}

export function shutdownInOrder(stages: ReadonlyArray<readonly Closable[]>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      for (const stage of stages) await Promise.all(stage.map((item) => item.close()));
    })();
    return closing;
  };
}

/** Runs `shutdown` on the first SIGTERM or SIGINT; returns a function that removes the listeners. */
export function onShutdownSignals(shutdown: () => Promise<void>, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const handle = (): void => {
    shutdown().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
  return () => {
    process.off('SIGTERM', handle);
    process.off('SIGINT', handle);
  };
}
