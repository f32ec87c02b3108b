import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONTEXT, type GatewayContext, ProblemError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '@facex/gateway-core';
import { EXPLORER_CSP } from '../../docs/api-explorer';
import { docsPage, problemsPage } from '../../docs/docs-page';
import { openApiJson } from '../../docs/openapi-document';

/** Unauthenticated operational endpoints: probes, metrics and the API documentation. */
@Controller()
export class OpsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(): Promise<{ status: 'ready' }> {
    const reason = await this.gateway.notReady();
    if (reason) {
      throw new ProblemError('not_ready', `${reason}: no edit can be taken`, { headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } });
    }
    return { status: 'ready' };
  }

  @Get('metrics')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    // Metrics name routes, queues and volumes: served on their own port unless the operator opts in here.
    if (!this.gateway.config.metricsOnApiPort)
      throw new ProblemError('not_found', 'metrics are served on the metrics port (METRICS_PORT), or here with METRICS_ON_API_PORT=true');
    const { contentType, body } = await this.gateway.metrics.scrape();
    void reply.header('content-type', contentType);
    return body;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', EXPLORER_CSP)
  docs(): string {
    return docsPage();
  }

  @Get('docs/openapi.json')
  @Header('content-type', 'application/json')
  openApi(): string {
    return openApiJson();
  }

  @Get('docs/problems')
  @Header('content-type', 'text/html; charset=utf-8')
  problems(): string {
    return problemsPage();
  }
}
