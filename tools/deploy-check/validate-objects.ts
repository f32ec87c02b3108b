/** Runs validate-objects-cli.ts in a child process (tsx) and returns the schema problems it reports. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, type K8sObject } from './manifests';
import type { SchemaProblem } from './schema-validate';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = join(__dirname, 'validate-objects-cli.ts');

export function validateAgainstSchemas(objects: readonly K8sObject[]): Promise<SchemaProblem[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(TSX, [CLI], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // Exit code 1 with a JSON report means "invalid objects"; anything else is a broken validator.
      try {
        resolve(JSON.parse(stdout) as SchemaProblem[]);
      } catch {
        reject(new Error(`schema validator failed: ${error?.message ?? ''} ${stderr}`));
      }
    });
    child.stdin?.end(JSON.stringify(objects));
  });
}
