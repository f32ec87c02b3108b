import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONTEXT, type DeliveryAttempt, type GatewayContext, type WebhookEndpoint, type WebhookEndpointView } from '@facex/gateway-core';
import { ApiKeyGuard, tenantOf, type TenantRequest } from '../api-key.guard';
import { RotateSecretRequestSchema, WebhookEndpointRequestSchema, parseBody } from '../dto';

/** Webhook endpoints of the key, their secrets and rotation. */
@Controller('v1/webhook-endpoints')
@UseGuards(ApiKeyGuard)
export class WebhookEndpointsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Post()
  async create(@Req() request: TenantRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown): Promise<WebhookEndpoint> {
    const endpoint = await this.gateway.webhookEndpoints.create(tenantOf(request), parseBody(WebhookEndpointRequestSchema, body));
    void reply.status(201).header('location', `/v1/webhook-endpoints/${endpoint.id}`);
    return endpoint;
  }

  @Get()
  async list(@Req() request: TenantRequest): Promise<{ items: WebhookEndpointView[] }> {
    return { items: await this.gateway.webhookEndpoints.list(tenantOf(request)) };
  }

  @Get(':id')
  get(@Req() request: TenantRequest, @Param('id') id: string): Promise<WebhookEndpoint> {
    return this.gateway.webhookEndpoints.get(tenantOf(request), id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: TenantRequest, @Param('id') id: string): Promise<void> {
    await this.gateway.webhookEndpoints.delete(tenantOf(request), id);
  }

  @Post(':id/rotate-secret')
  async rotate(@Req() request: TenantRequest, @Param('id') id: string, @Body() body: unknown): Promise<WebhookEndpoint> {
    const { overlapSeconds } = parseBody(RotateSecretRequestSchema, body ?? {});
    return this.gateway.webhookEndpoints.rotate(tenantOf(request), id, overlapSeconds);
  }
}

/** The webhook side of one edit: its delivery log and redelivery. */
@Controller('v1/edits')
@UseGuards(ApiKeyGuard)
export class EditDeliveriesController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  @Get(':id/deliveries')
  async deliveries(@Req() request: TenantRequest, @Param('id') id: string): Promise<{ items: DeliveryAttempt[] }> {
    return { items: await this.gateway.webhookEndpoints.deliveries(tenantOf(request), id) };
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  redeliver(@Req() request: TenantRequest, @Param('id') id: string): Promise<{ eventType: string; redelivery: number }> {
    return this.gateway.webhookEndpoints.redeliver(tenantOf(request), id);
  }
}
