import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONTEXT, type AssetDetails, type AssetView, type GatewayContext, maxUploadBytes, requestFingerprint } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';
import { AssetFromUrlRequestSchema, ListQuerySchema, pageQueryOf, parseBody, parseQuery } from '../dto';
import { withUploadedFile } from '../read-upload';
import { idempotencyKeyOf, sendStored } from '../respond';

@Controller('v1/assets')
@UseGuards(ApiKeyGuard)
export class AssetsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  /** multipart/form-data with one `file` part (spooled to a temporary file while it is checked and stored), or JSON `{ url }`. */
  @Post()
  async create(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown): Promise<unknown> {
    const tenant = tenantOf(request);
    const { assets } = this.gateway;
    if (request.isMultipart()) {
      const { config } = this.gateway;
      return withUploadedFile(request, maxUploadBytes(config), config.uploadDir, (upload) =>
        this.storeOnce(request, reply, { sha256: upload.sha256 }, () => assets.storeUpload(tenant, upload)),
      );
    }
    const { url } = parseBody(AssetFromUrlRequestSchema, body);
    return this.storeOnce(request, reply, { url }, () => assets.storeFromUrl(tenant, url));
  }

  /** Stores the asset once per idempotency key: a repeated request with the same content gets the first answer. */
  private async storeOnce(request: TenantRequest, reply: FastifyReply, content: object, store: () => Promise<AssetView>): Promise<unknown> {
    const fingerprint = requestFingerprint('POST /v1/assets', content);
    const response = await this.gateway.idempotency.run(tenantOf(request), idempotencyKeyOf(request), fingerprint, async () => {
      const asset = await store();
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
