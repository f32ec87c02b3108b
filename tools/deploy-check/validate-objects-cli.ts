/**
 * Validates Kubernetes objects against their schemas (kubernetes-models, ESM-only, hence a process of its own
 * run by tsx rather than jest's module loader). Reads a JSON array of objects on stdin, prints a JSON array
 * of `{ ref, error }` for the invalid ones, exits 0 when all are valid and 1 otherwise.
 */
import { objectRef, type K8sObject } from './manifests';
import { modelModuleFor } from './schema-models';

export interface SchemaProblem {
  readonly ref: string;
  readonly error: string;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

async function validateObject(object: K8sObject): Promise<SchemaProblem | undefined> {
  const specifier = modelModuleFor(object.apiVersion, object.kind);
  if (!specifier) return { ref: objectRef(object), error: `no schema known for ${object.apiVersion} ${object.kind}` };
  let model: ModelClass | undefined;
  try {
    model = ((await import(specifier)) as Record<string, ModelClass | undefined>)[object.kind];
  } catch {
    model = undefined;
  }
  if (!model) return { ref: objectRef(object), error: `no schema known for ${object.apiVersion} ${object.kind}` };
  try {
    const { apiVersion: _apiVersion, kind: _kind, ...data } = object;
    new model(data).validate();
    return undefined;
  } catch (error) {
    return { ref: objectRef(object), error: error instanceof Error ? error.message : String(error) };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const objects = JSON.parse(await readStdin()) as K8sObject[];
  const problems = (await Promise.all(objects.map(validateObject))).filter((problem): problem is SchemaProblem => problem !== undefined);
  process.stdout.write(JSON.stringify(problems));
  process.exitCode = problems.length === 0 ? 0 : 1;
}

void main();
