/** The NestJS application on Fastify: body limits, multipart, problem+json for every error, HTTP metrics. */
import 'reflect-metadata';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { assertJsonDepth, maxUploadBytes, type GatewayContext } from '@facex/gateway-core';
import { createLogger } from '@facex/logging';
import { ProblemFilter, sendProblem } from '../http/problem-filter';
import type { PlaygroundFile } from '../playground/playground.module';
import { GatewayModule } from './gateway-module';
import { NestPinoLogger } from './nest-pino-logger';

export async function createHttpApp(
  context: GatewayContext,
  logLevels: LogLevel[] | false = ['error', 'warn'],
  playground: Map<string, PlaygroundFile> | null = null,
): Promise<NestFastifyApplication> {
  const logger = createLogger('http');
  const adapter = new FastifyAdapter({
    bodyLimit: context.config.maxJsonBytes,
    trustProxy: true,
    // Errors Fastify answers before any route runs (a path parameter over maxParamLength: 414, a malformed URL).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(request, reply, error, logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forContext(context, { playground }), adapter, {
    logger: logLevels === false ? false : new NestPinoLogger(logger, logLevels),
    bodyParser: false,
  });
  await app.register(fastifyMultipart, { limits: { fileSize: maxUploadBytes(context.config), files: 1, fields: 0, parts: 1 } });
  app.useGlobalFilters(new ProblemFilter(logger));
  const fastify = app.getHttpAdapter().getInstance();
  // JSON and multipart only: Fastify would otherwise hand a text/plain body to the handlers as a string.
  fastify.removeContentTypeParser('text/plain');
  // Fastify's JSON parser (Nest's is off), behind a flat scan of the nesting: JSON.parse and all that follows recurse.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Clients that send `content-type: application/json` on every call, bodiless DELETEs included.
    if (text === '' && request.method === 'DELETE') {
      done(null, undefined);
      return;
    }
    try {
      assertJsonDepth(text);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    // Fastify's own parser: synchronous, it answers through `done`.
    void parseJson(request, text, done);
  });
  if (context.config.cors.origins.length > 0) {
    app.enableCors({
      origin: context.config.cors.origins.includes('*') ? '*' : [...context.config.cors.origins],
      exposedHeaders: [
        'location',
        'retry-after',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'idempotent-replayed',
        'x-facex-generator',
        'x-facex-model-pack',
      ],
    });
  }
  // Latency per route template, never per raw path (ids would explode the series count).
  fastify.addHook('onResponse', (request, reply, done) => {
    context.metrics.observeHttpRequest(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
  return app;
}
