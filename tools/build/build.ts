/**
 * `npm run build`: compiles the services to JavaScript under dist/ (the tree of apps/ and libs/ kept, so worker
 * threads find their entries beside the code that starts them), then makes every `@facex/<lib>` import resolve
 * there: dist/node_modules/@facex/<lib>/package.json points at the compiled index. Only what the services'
 * entry points reach is compiled (tsconfig.build.json), so test helpers and tools never ship; a production
 * image runs `node dist/apps/<app>/src/main.js` with its production dependencies beside dist/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** `@facex/<lib>` → its index under libs/, from the workspace's path aliases (subpaths such as /testing excluded). */
function libraryIndexes(): Array<[string, string]> {
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  return Object.entries(compilerOptions.paths)
    .filter(([alias]) => /^@facex\/[a-z0-9-]+$/.test(alias))
    .map(([alias, [target]]) => [alias, target.replace(/\.ts$/, '.js')]);
}

function main(): void {
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  let linked = 0;
  for (const [alias, index] of libraryIndexes()) {
    if (!existsSync(join(DIST, index))) continue; // not reached from any service entry point
    const packageDir = join(DIST, 'node_modules', alias);
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(
      join(packageDir, 'package.json'),
      `${JSON.stringify({ name: alias, private: true, main: relative(packageDir, join(DIST, index)) }, null, 2)}\n`,
    );
    linked++;
  }
  console.log(`built dist/ (${linked} libraries)`);
}

main();
