import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONTEXT, type GatewayContext } from '@facex/gateway-core';
import type { TaskCatalog } from '@facex/gateway-core';
import { ApiKeyGuard, identityOf, tenantOf, type TenantRequest } from '../api-key.guard';
import type { ApiKeyRecord, IssuedApiKey } from '@facex/gateway-core';
import { ApiKeyRequestSchema, parseBody, type AccountResponse } from '../dto';

/** What the deployment offers, and the key's own settings. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class AccountController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Get('tasks')
  tasks(): TaskCatalog {
    return this.gateway.catalog;
  }

  /** The key, and what the deployment keeps for how long (retention) and accepts (limits). */
  @Get('account')
  async account(@Req() request: TenantRequest): Promise<AccountResponse> {
    const { config } = this.gateway;
    const { retention } = config;
    return {
      ...(await this.gateway.apiKeys.account(tenantOf(request))),
      admin: identityOf(request).admin === true,
      retention: {
        assets: 'until deleted',
        resultSeconds: retention.resultTtlSeconds,
        conditionsSeconds: retention.resultTtlSeconds,
        representationSeconds: retention.representationTtlSeconds,
        faceCropSeconds: retention.representationTtlSeconds,
      },
      limits: {
        maxAssetBytes: config.maxAssetBytes,
        maxAssetPixels: config.maxAssetPixels,
        video: { maxBytes: config.video.maxBytes, ...config.video.limits },
        maxJsonBytes: config.maxJsonBytes,
        rateLimit: { burst: config.rateLimit.burst, perSecond: config.rateLimit.perSecond },
      },
    };
  }

  /** Every key (admin keys only). */
  @Get('keys')
  async keys(@Req() request: TenantRequest): Promise<{ items: ApiKeyRecord[] }> {
    return { items: await this.gateway.apiKeys.list(identityOf(request)) };
  }

  /** A new key, shown once (admin keys only). */
  @Post('keys')
  async createKey(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown): Promise<IssuedApiKey> {
    const issued = await this.gateway.apiKeys.create(identityOf(request), parseBody(ApiKeyRequestSchema, body));
    void reply.status(201).header('location', `/v1/keys/${issued.id}`);
    return issued;
  }

  /** Revokes a key at once (admin keys only). */
  @Delete('keys/:id')
  @HttpCode(204)
  async revoke(@Req() request: TenantRequest, @Param('id') id: string): Promise<void> {
    await this.gateway.apiKeys.revoke(identityOf(request), id);
  }

  @Get('webhook-secret')
  async webhookSecret(@Req() request: TenantRequest): Promise<{ secret: string }> {
    return { secret: await this.gateway.apiKeys.webhookSecret(tenantOf(request)) };
  }
}
