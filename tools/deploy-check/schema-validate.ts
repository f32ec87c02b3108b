/**
 * Validates Kubernetes objects against their schemas with kubernetes-models. Those packages are ESM-only and
 * loaded with import(): run this under tsx or Node (validate-objects-cli.ts), not in jest's module loader.
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

async function loadModel(object: K8sObject): Promise<ModelClass | undefined> {
  const specifier = modelModuleFor(object.apiVersion, object.kind);
  if (!specifier) return undefined;
  try {
    return ((await import(specifier)) as Record<string, ModelClass | undefined>)[object.kind];
  } catch {
    return undefined;
  }
}

async function validateObject(object: K8sObject): Promise<SchemaProblem | undefined> {
  const model = await loadModel(object);
  if (!model) return { ref: objectRef(object), error: `no schema known for ${object.apiVersion} ${object.kind}` };
  try {
    const { apiVersion: _apiVersion, kind: _kind, ...data } = object;
    new model(data).validate();
    return undefined;
  } catch (error) {
    return { ref: objectRef(object), error: error instanceof Error ? error.message : String(error) };
  }
}

/** The invalid objects, each with the validator's message; empty when all are valid. */
export async function validateObjects(objects: readonly K8sObject[]): Promise<SchemaProblem[]> {
  const results = await Promise.all(objects.map(validateObject));
  return results.filter((problem): problem is SchemaProblem => problem !== undefined);
}
