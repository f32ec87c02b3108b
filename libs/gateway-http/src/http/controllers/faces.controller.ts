import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { FaceListResponse } from '@facex/contracts';
import { GATEWAY_CONTEXT, type GatewayContext, ProblemError } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';

/** The faces FORD finds in an asset, so a client can let a person pick which to edit. */
@Controller('v1/assets')
@UseGuards(ApiKeyGuard)
export class FacesController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Get(':id/faces')
  async list(@Req() request: TenantRequest, @Param('id') id: string): Promise<FaceListResponse> {
    return this.gateway.faces.list(tenantOf(request), id);
  }

  @Get(':id/faces/:index/thumbnail')
  async thumbnail(
    @Req() request: TenantRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('id') id: string,
    @Param('index') index: string,
  ): Promise<Buffer> {
    if (!/^\d{1,2}$/.test(index)) throw new ProblemError('not_found', `asset ${id} has no face ${index}`);
    const png = await this.gateway.faces.thumbnail(tenantOf(request), id, Number(index));
    void reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600');
    return Buffer.from(png);
  }
}
