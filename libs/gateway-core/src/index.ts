/** The gateway's core: configuration, repositories (Redis), services, problem details, webhook delivery, the local pipeline. */
export * from './config/gateway-config';
export * from './create-gateway-services';
export * from './embedded/ensure-redis';
export * from './embedded/local-pipeline';
export * from './gateway-context';
export * from './problem/problem';
export * from './redis/gateway-redis';
export * from './repositories/api-key-repository';
export * from './services/api-key-service';
export * from './services/asset-service';
export * from './services/edit-api-service';
export * from './services/edit-view';
export * from './services/face-service';
export * from './services/idempotency-service';
export * from './services/task-catalog';
export * from './webhooks/webhook-delivery';
