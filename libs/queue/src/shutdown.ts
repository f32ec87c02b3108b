/**
 * Graceful shutdown: on SIGTERM/SIGINT stop taking jobs, let in-flight jobs finish (BullMQ's Worker.close
 * waits for them; a job still running when the orchestrator kills the pod is picked up again as stalled),
 * then close the remaining resources in order. A second signal does not start a second shutdown.
 */
export interface Closable {
  close(): Promise<void>;
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
