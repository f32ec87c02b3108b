/**
 * `npm run playground:screenshot`: the playground against the embedded mode (`npm start`'s process: every
 * worker, the deployment's default generator) in headless Chromium: two sample photos, a face swap, the result
 * page saved as docs/playground.png. Uses a temporary data directory and its own Redis key prefix, removed after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { chromium } from 'playwright-core';
import { startEmbedded } from '@facex/gateway-http';
import { deleteNamespace } from '@facex/queue/testing';
import { buildPlayground } from './build-playground';

const ROOT = join(__dirname, '..', '..');
const SAMPLES = join(ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo');
const OUTPUT = join(ROOT, 'docs', 'playground.png');

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'facex-playground-shot-'));
  const pageDir = join(dataDir, 'page');
  await buildPlayground(pageDir);
  const prefix = `facex-shot-${process.pid}`;
  const env = {
    ...process.env,
    PORT: '0',
    FACEX_STORAGE_DIR: join(dataDir, 'data'),
    FACEX_QUEUE_PREFIX: prefix,
    FACEX_PLAYGROUND: 'on',
    FACEX_PLAYGROUND_DIR: pageDir,
  };
  const embedded = await startEmbedded(env, () => undefined);
  const browser = await chromium.launch({
    executablePath: process.env['FACEX_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (message) => void (message.type() === 'error' && console.error(`page: ${message.text()}`)));
    await page.goto(embedded.playgroundUrl as string);
    await page.getByText(/Key “.*” accepted/).waitFor();
    await page.getByLabel('Choose photos').setInputFiles([join(SAMPLES, 'sample1.jpg'), join(SAMPLES, 'sample2.jpg')]);
    await page.getByText('2 photos uploaded.').waitFor();
    await page.getByRole('button', { name: 'Run edit' }).click();
    await page.locator('[data-status="completed"]').waitFor({ timeout: 600_000 });
    await page.getByAltText('Edited photo: after').waitFor();
    await page.waitForFunction('Array.from(document.images).every((image) => image.complete && image.naturalWidth > 0)');
    await page.screenshot({ path: OUTPUT, fullPage: true });
    console.log(`wrote ${OUTPUT} (${await page.locator('[data-status]').textContent()})`);
  } finally {
    await browser.close();
    await embedded.close();
    const redis = new IORedis(embedded.gateway.services.context.config.redisUrl);
    await deleteNamespace(redis, prefix);
    await redis.quit();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
