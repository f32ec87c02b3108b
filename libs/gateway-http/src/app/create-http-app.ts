/** The NestJS application on Fastify: body limits, multipart, problem+json for every error, HTTP metrics. */
import 'reflect-metadata';
import fastifyMultipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import type { GatewayContext } from '@facex/gateway-core';
import { createLogger } from '@facex/logging';
import { ProblemFilter } from '../http/problem-filter';
import { GatewayModule } from './gateway-module';
import { NestPinoLogger } from './nest-pino-logger';

export async function createHttpApp(context: GatewayContext, logLevels: LogLevel[] | false = ['error', 'warn']): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: context.config.maxJsonBytes, trustProxy: true });
  const logger = createLogger('http');
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forContext(context), adapter, {
    logger: logLevels === false ? false : new NestPinoLogger(logger, logLevels),
  });
  await app.register(fastifyMultipart, { limits: { fileSize: context.config.maxAssetBytes, files: 1, fields: 0, parts: 1 } });
  app.useGlobalFilters(new ProblemFilter(logger));
  // JSON and multipart only: Fastify would otherwise hand a text/plain body to the handlers as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  // Latency per route template, never per raw path (ids would explode the series count).
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    context.metrics.observeHttpRequest({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });
  return app;
}
