/** Authenticates the API key and takes a rate-limit token; the tenant (key id) rides on the request. */
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONTEXT, type ApiKeyIdentity, type GatewayContext, presentedApiKey } from '@facex/gateway-core';

export type TenantRequest = FastifyRequest & { tenant?: string; identity?: ApiKeyIdentity };

/** The authenticated key (the guard ran). */
export function identityOf(request: TenantRequest): ApiKeyIdentity {
  if (!request.identity) throw new Error('identityOf: the request did not pass the API key guard');
  return request.identity;
}

/** The tenant of an authenticated request (the guard ran). */
export function tenantOf(request: TenantRequest): string {
  if (!request.tenant) throw new Error('tenantOf: the request did not pass the API key guard');
  return request.tenant;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly gateway: GatewayContext) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const identity = await this.gateway.apiKeys.authenticate(presentedApiKey(request.headers));
    request.tenant = identity.id;
    request.identity = identity;
    reply.headers(await this.gateway.rateLimits.take(identity.id));
    return true;
  }
}
