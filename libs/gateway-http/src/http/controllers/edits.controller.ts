import { Body, Controller, Delete, Get, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { EditResponse, EditStatus } from '@facex/contracts';
import { GATEWAY_CONTEXT, type GatewayContext, ProblemError, provenanceHeaders, editPath, toEditResponse, requestFingerprint } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';
import { streamEditEvents } from '../edit-event-stream';
import { idempotencyKeyOf, sendStored } from '../respond';
import { EditListQuerySchema, ResultQuerySchema, pageQueryOf, parseQuery, resultEncodingOf } from '../dto';

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

  /** The key's edits, newest first: `limit`, `cursor`, `status` (comma-separated), `createdAfter`, `createdBefore`. */
  @Get()
  async list(@Req() request: TenantRequest, @Query() query: unknown): Promise<{ items: EditResponse[]; nextCursor?: string }> {
    const parsed = parseQuery(EditListQuerySchema, query);
    const statuses = parsed.status?.split(',') as EditStatus[] | undefined;
    const page = await this.gateway.edits.list(tenantOf(request), { ...pageQueryOf(parsed), ...(statuses ? { statuses } : {}) });
    return { items: page.items.map(toEditResponse), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get(':id')
  async get(@Req() request: TenantRequest, @Param('id') id: string): Promise<EditResponse> {
    return toEditResponse(await this.gateway.edits.get(tenantOf(request), id));
  }

  /** Cancels a live edit (200 with the edit); deletes a finished one with its result (204). */
  @Delete(':id')
  async remove(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Param('id') id: string): Promise<EditResponse | undefined> {
    const outcome = await this.gateway.edits.remove(tenantOf(request), id);
    if (!outcome.deleted) return toEditResponse(outcome.edit);
    void reply.status(204);
    return undefined;
  }

  /** The result; `format`, `quality`, `region` (query) or `Accept` ask for another encoding than the stored one. */
  @Get(':id/result')
  async result(
    @Req() request: TenantRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<unknown> {
    const encoding = resultEncodingOf(parseQuery(ResultQuerySchema, query), request.headers['accept']);
    const delivery = await this.gateway.edits.result(tenantOf(request), id, encoding);
    void reply.headers(provenanceHeaders(delivery.result)).header('cache-control', 'private, no-store').header('vary', 'accept');
    if (delivery.kind === 'bytes') {
      void reply.header('content-type', delivery.contentType).header('content-length', String(delivery.body.byteLength));
      return delivery.body;
    }
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
