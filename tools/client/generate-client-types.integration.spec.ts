import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENAPI_PATH } from '../openapi/generate-openapi';

const CLIENT_TYPES_PATH = join(__dirname, '..', '..', 'libs', 'client', 'src', 'generated', 'openapi.ts');
const generate = (document: string = OPENAPI_PATH): string =>
  execFileSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'generate-client-types.ts'), '--stdout', document], { encoding: 'utf8' });

describe('libs/client/src/generated/openapi.ts', () => {
  it('is exactly what openapi-typescript makes from docs/openapi.json (run `npm run client:types` after `npm run openapi`)', () => {
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(generate());
  });

  it('would differ for a changed document, so a stale file cannot pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facex-client-types-'));
    try {
      const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
      document.paths['/v1/edits'].post.summary = 'A summary nobody wrote.';
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      const changed = generate(join(dir, 'openapi.json'));
      expect(changed).toContain('A summary nobody wrote.');
      expect(changed).not.toBe(readFileSync(CLIENT_TYPES_PATH, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
