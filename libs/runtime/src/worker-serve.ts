import type { MessagePort } from 'node:worker_threads';
import { serializeError } from './serialized-error';
import type { TaskMessage, TaskModule, WorkerMessage } from './task-messages';
import { transferablesOf } from './transfer';

/** Runs inside a pool worker: builds the handler once, then answers one task message at a time. */
export async function serveTasks(port: MessagePort, module: TaskModule<unknown, unknown, unknown>, options: unknown): Promise<void> {
  const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  let handler;
  try {
    handler = await module.createTaskHandler(options);
  } catch (error) {
    send({ kind: 'failed-to-start', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', async ({ id, request }: TaskMessage) => {
    try {
      const value = await handler(request);
      send({ kind: 'result', id, value }, transferablesOf(value));
    } catch (error) {
      send({ kind: 'error', id, error: serializeError(error) });
    }
  });
  send({ kind: 'ready' });
}
