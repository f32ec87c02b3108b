/**
 * Structured logs: one JSON object per line (pino), every line naming its component. LOG_LEVEL sets the level
 * (trace, debug, info, warn, error, fatal, silent; default info). Under jest the default is silent, so test runs
 * stay readable; a test that checks logging passes its own destination.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
  env?: NodeJS.ProcessEnv;
}

export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const level = options.level ?? env['LOG_LEVEL'] ?? (env['JEST_WORKER_ID'] ? 'silent' : 'info');
  const settings = { level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
