/**
 * Every error, thrown anywhere (handlers, guards, Fastify's body parsing, unknown routes, Fastify's own router
 * errors such as a too-long path parameter), leaves as problem+json.
 */
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemOf } from '@facex/gateway-core';
import type { Logger } from '@facex/logging';

/** Answers `error` as problem+json (500s are logged, never described). */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown, log: Logger): void {
  // Nest's own exceptions (unknown route 404…) carry their status; map them by it.
  const error = exception instanceof HttpException ? Object.assign(new Error(exception.message), { statusCode: exception.getStatus() }) : exception;
  const { problem, headers } = problemOf(error);
  if (problem.status === 500) log.error({ err: exception, method: request.method, url: request.url }, 'request failed');
  if (reply.sent || reply.raw.headersSent) return;
  void reply
    .status(problem.status)
    .headers(headers)
    .header('content-type', 'application/problem+json')
    .send(JSON.stringify({ ...problem, instance: (request.url ?? '').split('?')[0].slice(0, 256) }));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception, this.logger);
  }
}
