/** Tests: a gateway over real Redis (own key prefix), a temp filesystem store, and optionally the workers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { FsBlobStore } from '@facex/storage';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { startGateway, type RunningGateway } from '../start-gateway';
import { gatewayConfigFromEnv, type GatewayConfig } from '@facex/gateway-core';
import type { GeneratorInfo } from '@facex/gateway-core';

export function testConfig(prefix: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    ...gatewayConfigFromEnv({ REDIS_URL: TEST_REDIS_URL, PORT: '0', FACEX_QUEUE_PREFIX: prefix, SSE_POLL_MS: '50', METRICS_PORT: '0' }),
    webhookConcurrency: 0,
    ...overrides,
  };
}

export interface TestStore {
  prefix: string;
  blobs: FsBlobStore;
  cleanup(): Promise<void>;
}

export async function openTestStore(name: string): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), `facex-${name}-`));
  const prefix = testPrefix(name);
  return {
    prefix,
    blobs: new FsBlobStore(dir),
    cleanup: async () => {
      const redis = new IORedis(TEST_REDIS_URL);
      await deleteNamespace(redis, prefix);
      await redis.quit();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function startTestGateway(
  store: TestStore,
  overrides: Partial<GatewayConfig> = {},
  generators: readonly GeneratorInfo[] = [{ name: 'reference', modelPack: null }],
): Promise<RunningGateway> {
  return startGateway({ config: testConfig(store.prefix, overrides), blobs: store.blobs, generators, logLevels: false });
}

/** Reads a server-sent event stream to its end: every event's name and parsed data. */
export async function readEvents(url: string, headers: Record<string, string>): Promise<Array<{ event: string; id: string; data: { status: string } }>> {
  const response = await fetch(url, { headers });
  if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('id:'))
    .map((block) => {
      const field = (name: string): string =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { event: field('event'), id: field('id'), data: JSON.parse(field('data')) as { status: string } };
    });
}
