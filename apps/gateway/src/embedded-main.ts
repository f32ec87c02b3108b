/** `npm start`: the embedded mode. Configuration: see gatewayConfigFromEnv and openLocalPipeline. */
import { onShutdownSignals } from '@facex/queue';
import { startEmbedded } from '@facex/gateway-http';

startEmbedded().then(
  (running) => {
    console.log(`FaceX listening on ${running.url}  (docs: ${running.url}/docs)`);
    console.log(`API key for local use: ${running.apiKey}`);
    if (running.playgroundUrl) console.log(`Playground: ${running.playgroundUrl}`);
    onShutdownSignals(running.close);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
