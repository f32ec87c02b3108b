/**
 * NestJS's logger interface over pino, so the framework's own messages (start-up, route mapping, errors it
 * catches) are structured JSON lines like every other component's, at the levels the caller allows.
 */
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from '@facex/logging';

export class NestPinoLogger implements LoggerService {
  private readonly levels: ReadonlySet<LogLevel>;

  constructor(
    private readonly logger: Logger,
    levels: readonly LogLevel[],
  ) {
    this.levels = new Set(levels);
  }

  /** Nest passes optional params, the last of which is the context (the class that logged) when it is a string. */
  private write(level: LogLevel, pinoLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, params: unknown[]): void {
    if (!this.levels.has(level)) return;
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const stack = level === 'error' && typeof params[0] === 'string' && params.length > 1 ? params[0] : undefined;
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.logger[pinoLevel]({ ...(context ? { context } : {}), ...(stack ? { stack } : {}), ...(message instanceof Error ? { err: message } : {}) }, text);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', 'info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', 'error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', 'warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', 'debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', 'trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', 'fatal', message, params);
  }
}
