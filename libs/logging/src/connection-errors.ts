/**
 * Connection errors of a client that reconnects by itself (ioredis, BullMQ queues and workers): without a
 * listener an 'error' event crashes the process, and logging every retry floods the log while a server is
 * down. So the first error after each successful connection is logged at warn, the repeats are counted, and
 * the next 'ready' logs the recovery with that count.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

export function logConnectionErrors(emitter: EventEmitter, logger: Logger, what: string): void {
  let failing = false;
  let repeats = 0;
  emitter.on('error', (error: unknown) => {
    if (failing) {
      repeats++;
      return;
    }
    failing = true;
    repeats = 0;
    logger.warn({ err: error }, `${what}: connection error (retrying)`);
  });
  emitter.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger.info({ repeats }, `${what}: connected again`);
  });
}
