/**
 * `npm run build:client`: compiles @facex/client to ES modules with type declarations in libs/client/dist (the
 * package's `exports`), with DOM types only, so the package cannot come to depend on Node.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const CLIENT_DIR = join(__dirname, '..', '..', 'libs', 'client');

rmSync(join(CLIENT_DIR, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(CLIENT_DIR, 'tsconfig.build.json')], { stdio: 'inherit' });
console.log(`built ${join(CLIENT_DIR, 'dist')}`);
