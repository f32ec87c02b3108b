/** What the HTTP layer needs, built once by the composition root (create-gateway.ts) and injected as one value. */
import type { FacexMetrics } from '@facex/metrics';
import type { GatewayConfig } from './config/gateway-config';
import type { ApiKeyService } from './services/api-key-service';
import type { AssetService } from './services/asset-service';
import type { EditApiService } from './services/edit-api-service';
import type { FaceService } from './services/face-service';
import type { IdempotencyService } from './services/idempotency-service';
import type { RateLimitService } from './services/rate-limit-service';
import type { TaskCatalog } from './services/task-catalog';
import type { WebhookEndpointService } from './services/webhook-endpoint-service';

export const GATEWAY_CONTEXT = Symbol('GatewayContext');

export interface GatewayContext {
  config: GatewayConfig;
  apiKeys: ApiKeyService;
  rateLimits: RateLimitService;
  idempotency: IdempotencyService;
  assets: AssetService;
  edits: EditApiService;
  webhookEndpoints: WebhookEndpointService;
  faces: FaceService;
  catalog: TaskCatalog;
  metrics: FacexMetrics;
  /** Null when the gateway can take an edit (Redis and the blob store answer), else what stops it. */
  notReady(): Promise<string | null>;
}
