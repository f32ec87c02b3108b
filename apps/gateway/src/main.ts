/**
 * The distributed gateway: HTTP API plus the webhook delivery worker (WEBHOOK_CONCURRENCY=0 turns it off);
 * extract and render run in apps/extractor-worker and apps/diffusion-worker. Configuration: gatewayConfigFromEnv,
 * storage from S3_* or FACEX_STORAGE_DIR (see @facex/storage blobStoreFromEnv), FACEX_GENERATORS, FACEX_PLAYGROUND
 * (off by default here).
 */
import { onShutdownSignals } from '@facex/queue';
import { blobStoreFromEnv } from '@facex/storage';
import { playgroundFromEnv, startGateway } from '@facex/gateway-http';
import { gatewayConfigFromEnv, generatorsFromEnv } from '@facex/gateway-core';

startGateway({
  config: gatewayConfigFromEnv(),
  blobs: blobStoreFromEnv(),
  generators: generatorsFromEnv(),
  playground: playgroundFromEnv(process.env, false),
}).then(
  (gateway) => {
    console.log(`FaceX gateway listening on ${gateway.url}`);
    onShutdownSignals(gateway.close);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
