/** @facex/client: a typed client of the FaceX API (Node 20+ and browsers). See README.md. */
export * from './client.js';
export * from './errors.js';
export type { RetryOptions } from './retry.js';
export { readServerSentEvents, type ServerSentEvent } from './sse.js';
export * from './webhooks.js';
export type { components, paths } from './generated/openapi.js';
