import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { GATEWAY_CONTEXT, type AssetDetails, type AssetView, type GatewayContext, maxUploadBytes, requestFingerprint } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';
import { AssetFromUrlRequestSchema, ListQuerySchema, pageQueryOf, parseBody, parseQuery } from '../dto';
import { readUploadedFile } from '../read-upload';
import { idempotencyKeyOf, sendStored } from '../respond';

@Controller('v1/assets')
@UseGuards(ApiKeyGuard)
export class AssetsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  /** multipart/form-data with one `file` part, or JSON `{ url }`. */
  @Post()
  async create(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown): Promise<unknown> {
    const tenant = tenantOf(request);
    const { assets, idempotency } = this.gateway;
    let fingerprint: string;
    let produce: () => ReturnType<typeof assets.store>;
    if (request.isMultipart()) {
      const bytes = await readUploadedFile(request, maxUploadBytes(this.gateway.config));
      fingerprint = requestFingerprint('POST /v1/assets', { sha256: createHash('sha256').update(bytes).digest('hex') });
      produce = () => assets.store(tenant, bytes);
    } else {
      const { url } = parseBody(AssetFromUrlRequestSchema, body);
      fingerprint = requestFingerprint('POST /v1/assets', { url });
      produce = () => assets.storeFromUrl(tenant, url);
    }
    const response = await idempotency.run(tenant, idempotencyKeyOf(request), fingerprint, async () => {
      const asset = await produce();
      return { status: 201, body: asset, headers: { location: `/v1/assets/${asset.id}` } };
    });
    return sendStored(reply, response);
  }

  /** The key's assets, newest first: `limit`, `cursor`, `createdAfter`, `createdBefore`. */
  @Get()
  async list(@Req() request: TenantRequest, @Query() query: unknown): Promise<{ items: AssetView[]; nextCursor?: string }> {
    return this.gateway.assets.list(tenantOf(request), pageQueryOf(parseQuery(ListQuerySchema, query)));
  }

  @Get(':id')
  async get(@Req() request: TenantRequest, @Param('id') id: string): Promise<AssetDetails> {
    return this.gateway.assets.get(tenantOf(request), id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: TenantRequest, @Param('id') id: string): Promise<void> {
    await this.gateway.assets.delete(tenantOf(request), id);
  }
}
