/**
 * The HTTP gateway: the services of @facex/gateway-core served by the NestJS app, plus (optionally) the webhook
 * delivery worker. Used by the distributed entry (apps/gateway), the embedded mode and the tools; port 0 picks a
 * free port.
 */
import type { LogLevel } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startHealthServer } from '@facex/queue';
import { createGatewayServices, startWebhookDelivery, waitForRedis, type GatewayOptions, type GatewayServices } from '@facex/gateway-core';
import { createLogger } from '@facex/logging';
import { createHttpApp } from './app/create-http-app';
import { loadPlaygroundFiles, type PlaygroundOptions } from './playground/playground.module';

const STARTUP_REDIS_WAIT_MS = 3_000;

export interface HttpGatewayOptions extends GatewayOptions {
  logLevels?: LogLevel[] | false;
  /** Serve the playground page at /playground from this build (see playgroundFromEnv); off when absent. */
  playground?: PlaygroundOptions | null;
}

export interface RunningGateway {
  /** `http://host:port` the gateway listens on. */
  url: string;
  port: number;
  app: NestFastifyApplication;
  services: GatewayServices;
  /** `http://host:port/metrics` of the separate metrics listener; undefined when METRICS_PORT is off. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** The HTTP gateway, plus the webhook delivery worker unless `config.webhookConcurrency` is 0. */
export async function startGateway(options: HttpGatewayOptions): Promise<RunningGateway> {
  // Before any connection opens: a missing playground build fails the start with nothing to clean up.
  const playground = options.playground ? loadPlaygroundFiles(options.playground.dir) : null;
  const services = createGatewayServices(options);
  const { config } = options;
  // Start serving even when Redis is down (requests answer 503 until it is back), but not before a healthy
  // Redis has had a moment to connect.
  await waitForRedis(services.redis, STARTUP_REDIS_WAIT_MS).catch((error: unknown) =>
    createLogger('gateway').warn({ err: error }, 'Redis is not answering yet: serving 503 until it is'),
  );
  const app = await createHttpApp(services.context, options.logLevels, playground);
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await startHealthServer({ port: config.metricsPort, host: config.host, ready: () => true, metrics: () => services.context.metrics.scrape() });
  const webhooks =
    config.webhookConcurrency > 0
      ? startWebhookDelivery({
          config,
          edits: services.edits,
          keys: services.keys,
          endpoints: services.endpoints,
          metrics: services.context.metrics,
          linksBaseUrl: config.publicBaseUrl ?? url,
        })
      : undefined;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    services,
    metricsUrl: metricsServer ? `${url.replace(/:\d+$/, '')}:${metricsServer.port}/metrics` : undefined,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await metricsServer?.close();
        await webhooks?.close();
        await services.close();
      })()),
  };
}
