/** Every error, thrown anywhere (handlers, guards, Fastify's body parsing, unknown routes), leaves as problem+json. */
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemOf } from '@facex/gateway-core';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly log: (message: string, error: unknown) => void = (message, error) => console.error(message, error)) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    // Nest's own exceptions (unknown route 404…) carry their status; map them by it.
    const error = exception instanceof HttpException ? Object.assign(new Error(exception.message), { statusCode: exception.getStatus() }) : exception;
    const { problem, headers } = problemOf(error);
    if (problem.status === 500) this.log(`${request.method} ${request.url} failed`, exception);
    if (reply.sent || reply.raw.headersSent) return;
    void reply
      .status(problem.status)
      .headers(headers)
      .header('content-type', 'application/problem+json')
      .send(JSON.stringify({ ...problem, instance: request.url.split('?')[0] }));
  }
}
