/**
 * The playground and the API explorer in headless Chromium (Debian's `chromium`, driven by playwright-core)
 * against a real gateway (real Redis, a filesystem store, in-process workers with the `reference` generator):
 * two sample photos uploaded through the file input, a face swap run, its progress and result shown, the
 * before/after slider driven by the keyboard, and no console errors. Skipped, opening nothing, where the
 * browser is not installed (`.ci/run` installs it). docs/playground.png comes from `npm run playground:screenshot`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import { openTestStore, testConfig, type TestStore } from '@facex/gateway-http/testing';
import { buildPlayground } from '../../../tools/playground/build-playground';

const CHROMIUM = process.env['FACEX_CHROMIUM'] ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
const SAMPLES = join(ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo');
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('in Chromium', () => {
  let store: TestStore;
  let build: string;
  let gateway: RunningGateway;
  let workers: RunningWorkers;
  let browser: Browser;
  let key: string;

  /** A page that records console errors, uncaught exceptions and every status the progress region shows. */
  async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    // A string: the page's globals are not in this file's (Node) types.
    await page.addInitScript({
      content: `window.statuses = [];
        new MutationObserver(() => {
          const status = document.querySelector('[data-status]');
          const text = status ? status.getAttribute('data-status') + '|' + status.textContent : null;
          if (text && window.statuses.at(-1) !== text) window.statuses.push(text);
        }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });`,
    });
    await page.goto(url);
    return { page, errors };
  }

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    store = await openTestStore('playground-e2e');
    build = await mkdtemp(join(tmpdir(), 'facex-playground-e2e-'));
    await buildPlayground(build);
    gateway = await startGateway({
      config: testConfig(store.prefix),
      blobs: store.blobs,
      generators: [{ name: 'reference', modelPack: null }],
      logLevels: false,
      playground: { dir: build },
    });
    workers = await startWorkers({
      redisUrl: gateway.services.context.config.redisUrl,
      prefix: store.prefix,
      blobs: store.blobs,
      tiers: ['cpu', 'gpu'],
      analyzerThreads: 1,
    });
    key = (await gateway.services.context.apiKeys.issue('playground')).key;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await workers?.close();
    await store?.cleanup();
    if (build) await rm(build, { recursive: true, force: true });
  });

  it('uploads two photos, runs a face swap with live progress, shows the result with a keyboard slider, and logs no errors', async () => {
    const { page, errors } = await openPage(`${gateway.url}/playground#key=${key}`);
    await page.getByText('Key “playground” accepted').waitFor();
    // The key left the address bar (it stays in this tab's session storage).
    expect(new URL(page.url()).hash).toBe('');

    await page.getByLabel('Choose photos').setInputFiles([join(SAMPLES, 'sample1.jpg'), join(SAMPLES, 'sample2.jpg')]);
    await page.getByText('2 photos uploaded.').waitFor();
    await expect(page.getByLabel('Face from', { exact: true }).inputValue()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByLabel('Onto photo', { exact: true }).inputValue()).resolves.toMatch(/^[0-9a-f]{64}$/);
    // The API lists each photo's faces: numbered boxes on the photos, and each role picks one (the largest first).
    await page.locator('.face-box').first().waitFor();
    await expect(page.getByLabel('Onto photo: face').inputValue()).resolves.toBe('0');
    await expect(page.getByLabel('Onto photo: face').locator('option').first().textContent()).resolves.toBe('Face 1 (largest)');
    await page.getByLabel('Generator').selectOption('reference');
    // Every form control has an accessible name (a label or aria-label).
    const unnamed = await page
      .locator('input:not([type=hidden]), select, textarea, button')
      .evaluateAll((controls) =>
        controls
          .filter(
            (control) =>
              !(control as unknown as { labels: unknown[] | null }).labels?.length &&
              !control.getAttribute('aria-label') &&
              !(control.tagName === 'BUTTON' && control.textContent?.trim()),
          )
          .map((control) => control.outerHTML),
      );
    expect(unnamed).toEqual([]);

    await page.getByRole('button', { name: 'Run edit' }).click();
    await page.locator('[data-status="completed"]').waitFor({ timeout: 90_000 });
    const after = page.getByAltText('Edited photo: after');
    await after.waitFor();
    await page.waitForFunction('Array.from(document.images).every((image) => image.complete && image.naturalWidth > 0)');

    const statuses = (await page.evaluate('window.statuses')) as string[];
    expect(statuses.some((status) => /^running\|.*(extract|assemble|render) \d+\/\d+/.test(status))).toBe(true);
    expect(statuses.at(-1)).toMatch(/^completed\|/);
    expect(await page.locator('.stages progress').evaluateAll((bars) => bars.map((bar) => (bar as unknown as { value: number }).value))).toEqual([1, 1, 1]);
    expect(await page.getByRole('link', { name: 'Download' }).getAttribute('download')).toMatch(/^facex-ed_[0-9a-z]+\.png$/);

    const slider = page.getByLabel(/Before \/ after/);
    await slider.focus();
    await page.keyboard.press('Home');
    await expect(slider.inputValue()).resolves.toBe('0');
    await page.keyboard.press('End');
    await expect(slider.inputValue()).resolves.toBe('100');
    for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowLeft');
    await expect(slider.inputValue()).resolves.toBe('50');
    await page.getByText('Before / after (50% after)').waitFor();

    expect(errors).toEqual([]);
    await page.close();
  });

  it('plugs in face picking and motion controls when the API document has them', async () => {
    // The document and the faces route as an API with those features would answer; the rest is the real gateway.
    const document = JSON.parse(await (await fetch(`${gateway.url}/docs/openapi.json`)).text());
    document.paths['/v1/assets/{id}/faces'] = { get: { summary: 'Detected faces.' } };
    document.components.schemas.CreateEditRequest.properties.motion = {
      type: 'object',
      properties: { yaw: { type: 'number', minimum: -30, maximum: 30, description: 'Head turn.' } },
    };
    const page = await browser.newPage();
    await page.route('**/docs/openapi.json', (route) => route.fulfill({ json: document }));
    await page.route('**/v1/assets/*/faces', (route) =>
      route.fulfill({
        json: {
          faces: [
            { index: 0, box: { x: 100, y: 100, width: 300, height: 300 } },
            { index: 1, box: { x: 900, y: 200, width: 200, height: 200 } },
          ],
        },
      }),
    );
    let sent: unknown;
    await page.route('**/v1/edits', (route) => {
      sent = route.request().postDataJSON();
      return route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        json: { type: '/docs/problems#invalid_request', title: 'Invalid request', status: 422, detail: 'stopped by the test', code: 'invalid_request' },
      });
    });
    await page.goto(`${gateway.url}/playground#key=${key}`);
    await page.getByText('Key “playground” accepted').waitFor();
    await page.getByLabel('Choose photos').setInputFiles([join(SAMPLES, 'sample1.jpg'), join(SAMPLES, 'sample2.jpg')]);
    await page.getByText('2 photos uploaded.').waitFor();
    expect(await page.locator('.face-box').count()).toBe(4);
    await page.getByLabel('Face from: face').selectOption({ label: 'Face 2' });
    // The controls sit in a collapsed <details> for tasks other than motion alone: open it by its summary.
    await page.locator('details.motion summary').click();
    const yaw = page.getByLabel(/^Yaw/);
    await yaw.focus();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Run edit' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid request: stopped by the test');
    expect(sent).toMatchObject({ inputs: [{ faceIndex: 1 }, { faceIndex: 0 }], motion: { yaw: 30 } });
    await page.close();
  });

  it('creates a key with an admin key, shows it once and switches to it; a key that is not an admin key is offered no creation', async () => {
    const adminKey = (await gateway.services.context.apiKeys.issue('operator', { admin: true })).key;
    const { page, errors } = await openPage(`${gateway.url}/playground#key=${adminKey}`);
    await page.getByText('Key “operator” (admin) accepted').waitFor();
    await page.getByLabel('New key for').fill('partner app');
    await page.getByRole('button', { name: 'Create a key' }).click();
    const created = await page.getByLabel('Key “partner app” (shown this once; copy it now)').inputValue();
    expect(created).toMatch(/^fx_[0-9a-f]{48}$/);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByText('Key “partner app” accepted').waitFor();
    await expect(page.getByLabel('API key', { exact: true }).inputValue()).resolves.toBe(created);
    expect(await page.getByLabel('New key for').count()).toBe(0);
    await expect(gateway.services.context.apiKeys.authenticate(created)).resolves.toMatchObject({ name: 'partner app' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a refused key as an alert and offers nothing else', async () => {
    const { page, errors } = await openPage(`${gateway.url}/playground#key=fx_not_a_key`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/\S/);
    expect(await page.getByLabel('Choose photos').count()).toBe(0);
    // The refused call itself is the only console error (the browser logs failed requests).
    expect(errors.every((error) => /401/.test(error))).toBe(true);
    await page.close();
  });

  it("renders the API explorer from the gateway's own files without errors", async () => {
    const { page, errors } = await openPage(`${gateway.url}/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'FaceX API' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/v1/edits/{id}/events' }).first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
