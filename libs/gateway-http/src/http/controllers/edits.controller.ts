import { Body, Controller, Delete, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EditResponse } from '@facex/contracts';
import { GATEWAY_CONTEXT, type GatewayContext, ProblemError, provenanceHeaders, editPath, toEditResponse, requestFingerprint } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';
import { streamEditEvents } from '../edit-event-stream';
import { idempotencyKeyOf, sendStored } from '../respond';

@Controller('v1/edits')
@UseGuards(ApiKeyGuard)
export class EditsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Post()
  async create(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown): Promise<unknown> {
    const tenant = tenantOf(request);
    if (request.isMultipart()) throw new ProblemError('unsupported_media_type', 'send the edit as application/json');
    const response = await this.gateway.idempotency.run(tenant, idempotencyKeyOf(request), requestFingerprint('POST /v1/edits', body), async () => {
      const edit = await this.gateway.edits.create(tenant, body);
      return { status: 201, body: toEditResponse(edit), headers: { location: editPath(edit.id) } };
    });
    return sendStored(reply, response);
  }

  @Get(':id')
  async get(@Req() request: TenantRequest, @Param('id') id: string): Promise<EditResponse> {
    return toEditResponse(await this.gateway.edits.get(tenantOf(request), id));
  }

  @Delete(':id')
  async cancel(@Req() request: TenantRequest, @Param('id') id: string): Promise<EditResponse> {
    return toEditResponse(await this.gateway.edits.cancel(tenantOf(request), id));
  }

  @Get(':id/result')
  async result(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('id') id: string): Promise<unknown> {
    const delivery = await this.gateway.edits.result(tenantOf(request), id);
    void reply.headers(provenanceHeaders(delivery.result)).header('cache-control', 'private, no-store');
    if (delivery.kind === 'redirect') {
      void reply.status(302).header('location', delivery.url);
      return '';
    }
    void reply.header('content-type', delivery.info.contentType).header('content-length', String(delivery.info.size));
    return delivery.body;
  }

  @Get(':id/events')
  async events(@Req() request: TenantRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    const tenant = tenantOf(request);
    const edit = await this.gateway.edits.get(tenant, id);
    const { config } = this.gateway;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const closed = new AbortController();
    raw.on('close', () => closed.abort());
    const lastEventId = request.headers['last-event-id'];
    await streamEditEvents({
      // A deleted edit (its asset was deleted) ends the stream.
      load: () => this.gateway.edits.get(tenant, edit.id).catch((error: unknown) => (error instanceof ProblemError ? null : Promise.reject(error))),
      write: (chunk) => void raw.write(chunk),
      pollMs: config.ssePollMs,
      heartbeatMs: config.sseHeartbeatMs,
      ...(typeof lastEventId === 'string' ? { lastEventId } : {}),
      signal: closed.signal,
    });
    raw.end();
  }
}
