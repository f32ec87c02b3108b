/**
 * Embedded mode (`npm start`): gateway and every worker tier in one process, filesystem storage, the Redis at
 * REDIS_URL (started when none answers). Prints the URL and an admin API key for local use (it may create keys
 * for other apps); the key is kept in `<data dir>/local-api-key` (mode 0600) and reused while it is valid.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gatewayConfigFromEnv, openLocalPipeline } from '@facex/gateway-core';
import { playgroundFromEnv } from '../playground/playground.module';
import { startGateway, type RunningGateway } from '../start-gateway';
import type { ApiKeyService } from '@facex/gateway-core';

export interface RunningEmbedded {
  url: string;
  apiKey: string;
  /** The playground's address with the local key in the fragment (never sent to the server), or null when off. */
  playgroundUrl: string | null;
  gateway: RunningGateway;
  close(): Promise<void>;
}

async function localApiKey(apiKeys: ApiKeyService, dataDir: string): Promise<string> {
  const file = join(dataDir, 'local-api-key');
  const saved = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  if (
    saved &&
    (await apiKeys.authenticate(saved).then(
      () => true,
      () => false,
    ))
  )
    return saved;
  const issued = await apiKeys.issue('local', { admin: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${issued.key}\n`, { mode: 0o600 });
  return issued.key;
}

export async function startEmbedded(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<RunningEmbedded> {
  const config = gatewayConfigFromEnv(env);
  // On by default here: `npm start` is local use.
  const playground = playgroundFromEnv(env, true);
  const pipeline = await openLocalPipeline(config, env, log);
  let gateway: RunningGateway | undefined;
  try {
    gateway = await startGateway({ config, blobs: pipeline.blobs, generators: pipeline.generators, playground });
    await pipeline.startWorkers(gateway.services.context.metrics);
    const apiKey = await localApiKey(gateway.services.context.apiKeys, pipeline.dataDir);
    const running = gateway;
    return {
      url: running.url,
      apiKey,
      playgroundUrl: playground ? `${running.url}/playground#key=${encodeURIComponent(apiKey)}` : null,
      gateway: running,
      close: async () => {
        await running.close();
        await pipeline.close();
      },
    };
  } catch (error) {
    await gateway?.close();
    await pipeline.close();
    throw error;
  }
}
