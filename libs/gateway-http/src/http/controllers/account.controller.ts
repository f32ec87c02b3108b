import { Controller, Get, Inject, Req, UseGuards } from '@nestjs/common';
import { GATEWAY_CONTEXT, type GatewayContext } from '@facex/gateway-core';
import type { TaskCatalog } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';

/** What the deployment offers, and the key's own settings. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class AccountController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Get('tasks')
  tasks(): TaskCatalog {
    return this.gateway.catalog;
  }

  @Get('webhook-secret')
  async webhookSecret(@Req() request: TenantRequest): Promise<{ secret: string }> {
    return { secret: await this.gateway.apiKeys.webhookSecret(tenantOf(request)) };
  }
}
