/**
 * schema-validate.ts as a process, for jest (which cannot load the ESM-only models): a JSON array of objects
 * on stdin, a JSON array of `{ ref, error }` on stdout; exit 0 when all are valid, 1 otherwise.
 */
import type { K8sObject } from './manifests';
import { validateObjects } from './schema-validate';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const problems = await validateObjects(JSON.parse(await readStdin()) as K8sObject[]);
  process.stdout.write(JSON.stringify(problems));
  process.exitCode = problems.length === 0 ? 0 : 1;
}

void main();
