/**
 * The playground page: off unless enabled, served from its build with a strict CSP when on, and a missing
 * build refuses the start with the command that makes it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../start-gateway';
import { openTestStore, testConfig, type TestStore } from '../testing/gateway-harness';
import { DEFAULT_PLAYGROUND_DIR, playgroundFromEnv } from './playground.module';

let store: TestStore;
let build: string;
const running: RunningGateway[] = [];

const start = async (playground: { dir: string } | null): Promise<RunningGateway> => {
  const gateway = await startGateway({
    config: testConfig(store.prefix),
    blobs: store.blobs,
    generators: [{ name: 'reference', modelPack: null }],
    logLevels: false,
    playground,
  });
  running.push(gateway);
  return gateway;
};

beforeAll(async () => {
  store = await openTestStore('playground');
  build = await mkdtemp(join(tmpdir(), 'facex-playground-build-'));
  await writeFile(join(build, 'index.html'), '<!doctype html><title>page</title><script type="module" src="/playground/playground.js"></script>');
  await writeFile(join(build, 'playground.js'), 'console.log(1);');
  await writeFile(join(build, 'notes.txt'), 'not served: unknown type');
});

afterAll(async () => {
  await Promise.all(running.map((gateway) => gateway.close()));
  await store?.cleanup();
  await rm(build, { recursive: true, force: true });
});

describe('playgroundFromEnv', () => {
  it('is off by default in production, on by default embedded, and FACEX_PLAYGROUND decides either way', () => {
    expect(playgroundFromEnv({}, false)).toBeNull();
    expect(playgroundFromEnv({}, true)).toEqual({ dir: DEFAULT_PLAYGROUND_DIR });
    expect(playgroundFromEnv({ FACEX_PLAYGROUND: 'on', FACEX_PLAYGROUND_DIR: '/srv/page' }, false)).toEqual({ dir: '/srv/page' });
    expect(playgroundFromEnv({ FACEX_PLAYGROUND: '0' }, true)).toBeNull();
    expect(() => playgroundFromEnv({ FACEX_PLAYGROUND: 'maybe' }, true)).toThrow("FACEX_PLAYGROUND: expected on or off, got 'maybe'");
  });
});

describe('the /playground route', () => {
  it('serves the page and its bundle with a same-origin CSP when enabled, nothing else', async () => {
    const gateway = await start({ dir: build });
    const page = await fetch(`${gateway.url}/playground`);
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([
      200,
      'text/html; charset=utf-8',
      expect.stringContaining('/playground/playground.js'),
    ]);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; img-src 'self' blob: data:; connect-src 'self'/);
    const script = await fetch(`${gateway.url}/playground/playground.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    for (const path of ['/playground/notes.txt', '/playground/..%2F..%2Fpackage.json']) {
      const refused = await fetch(`${gateway.url}${path}`);
      expect([refused.status, refused.headers.get('content-type')]).toEqual([404, expect.stringMatching(/^application\/problem\+json/)]);
    }
  });

  it('does not exist when off', async () => {
    const gateway = await start(null);
    expect((await fetch(`${gateway.url}/playground`)).status).toBe(404);
  });

  it('refuses to start when enabled without a build, naming the build command', async () => {
    await expect(start({ dir: join(build, 'absent') })).rejects.toThrow('run `npm run build:playground`');
  });
});
