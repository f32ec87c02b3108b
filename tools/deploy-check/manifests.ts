/**
 * Rendered Kubernetes objects (our own files, not user input: malformed ones raise plain errors): the overlays on disk, `kubectl kustomize` over one of them (the only I/O here),
 * the multi-document YAML it prints, and lookups the checks share.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolve(__dirname, '../..');
export const K8S_DIR = join(REPO_ROOT, 'deploy/k8s');
export const OVERLAYS_DIR = join(K8S_DIR, 'overlays');

/** A Kubernetes object as rendered; fields beyond the type meta are read through the helpers below. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** The overlay names (`dev`, `prod`), sorted. */
export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Parses `kubectl kustomize` output: every non-empty document must be an object with apiVersion, kind, name. */
export function parseManifestStream(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`manifest: ${document.errors[0].message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObjectWithMeta(value)) throw new Error('manifest: a document lacks apiVersion, kind or metadata.name');
    objects.push(value);
  }
  return objects;
}

function isObjectWithMeta(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const metadata = candidate['metadata'] as Record<string, unknown> | undefined;
  return typeof candidate['apiVersion'] === 'string' && typeof candidate['kind'] === 'string' && typeof metadata?.['name'] === 'string';
}

const execFileAsync = promisify(execFile);

/** `kubectl kustomize deploy/k8s/overlays/<overlay>`, parsed. */
export async function renderOverlay(kubectl: string, overlay: string): Promise<K8sObject[]> {
  const { stdout } = await execFileAsync(kubectl, ['kustomize', join(OVERLAYS_DIR, overlay)], { maxBuffer: 16 * 1024 * 1024 });
  return parseManifestStream(stdout);
}

export function objectRef(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

export function objectsOfKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** Reads a nested field by path (`spec.template.spec`); undefined when any step is missing. */
export function field(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
