/** Small reply helpers shared by the controllers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotentResponse } from '@facex/gateway-core';

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  return Array.isArray(value) ? value[0] : value;
}

/** Sends a (possibly replayed) stored response: its status, headers and body. */
export function sendStored(reply: FastifyReply, response: IdempotentResponse): unknown {
  void reply.status(response.status).headers(response.headers);
  if (response.replayed) void reply.header('idempotent-replayed', 'true');
  return response.body;
}
