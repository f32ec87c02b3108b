/**
 * `npm run build:playground [outdir]`: bundles apps/playground (Preact + @facex/client) with esbuild into one
 * script and one stylesheet beside index.html (default apps/playground/dist, where the gateway looks). Runs at
 * set-up and build time: the page loads nothing from anywhere but the gateway.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const SOURCE = join(ROOT, 'apps', 'playground', 'src');
export const PLAYGROUND_OUT = join(ROOT, 'apps', 'playground', 'dist');

export async function buildPlayground(outdir: string = PLAYGROUND_OUT): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { playground: join(SOURCE, 'main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(ROOT, 'apps', 'playground', 'tsconfig.json'),
    legalComments: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(SOURCE, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(SOURCE, 'playground.css'), join(outdir, 'playground.css'));
}

if (require.main === module) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : PLAYGROUND_OUT;
  buildPlayground(outdir).then(
    () => console.log(`built the playground in ${outdir}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
