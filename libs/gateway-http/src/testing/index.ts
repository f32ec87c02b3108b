/** Test support for anything that drives the HTTP gateway: a harness, an API client, s3rver, a webhook receiver. */
export * from './api-client';
export * from './free-port';
export * from './gateway-harness';
export * from './s3rver-server';
export * from './until';
export * from './webhook-receiver';
