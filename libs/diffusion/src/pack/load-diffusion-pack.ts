/**
 * Reads and checks a diffusion pack for the worker: the manifest against its schema, then every model file
 * (and external data file) against its recorded size and, unless skipped, its sha256.
 */
import { readFile, stat } from 'fs/promises';
import { join } from 'path';
import { FacexError } from '@facex/contracts';
import { sha256File } from './file-digest';
import { DIFFUSION_MANIFEST_FILE, DIFFUSION_MODEL_IDS, diffusionManifestSchema, type DiffusionModelId, type DiffusionPackManifest } from './manifest';

export interface LoadedDiffusionPack {
  dir: string;
  manifest: DiffusionPackManifest;
  /** Absolute path of a model's .onnx file (onnxruntime resolves external data beside it). */
  modelPath(id: DiffusionModelId): string;
}

export interface LoadDiffusionPackOptions {
  /** Hash every file (minutes for sd15); sizes are always checked. Default true. */
  verifyHashes?: boolean;
}

async function checkFile(dir: string, entry: { file: string; sha256: string; bytes: number }, verifyHash: boolean): Promise<void> {
  const path = join(dir, entry.file);
  const size = await stat(path).then(
    (s) => s.size,
    () => {
      throw new FacexError('model_pack_invalid', `diffusion pack file ${entry.file} is missing from ${dir}`, { file: path });
    },
  );
  if (size !== entry.bytes)
    throw new FacexError('model_pack_invalid', `diffusion pack file ${entry.file} has ${size} bytes, the manifest says ${entry.bytes}`, { file: path });
  if (verifyHash && (await sha256File(path)) !== entry.sha256) {
    throw new FacexError('model_pack_invalid', `diffusion pack file ${entry.file} does not match its sha256 in the manifest`, { file: path });
  }
}

export async function loadDiffusionPack(dir: string, options: LoadDiffusionPackOptions = {}): Promise<LoadedDiffusionPack> {
  const manifestPath = join(dir, DIFFUSION_MANIFEST_FILE);
  const text = await readFile(manifestPath, 'utf8').catch(() => {
    throw new FacexError('model_pack_invalid', `no diffusion pack manifest at ${manifestPath}`, { file: manifestPath });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FacexError('model_pack_invalid', `${manifestPath} is not valid JSON`, { file: manifestPath });
  }
  const parsed = diffusionManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new FacexError('model_pack_invalid', `${manifestPath}: ${field}: ${issue?.message ?? 'invalid'}`, { file: manifestPath, field });
  }
  const manifest = parsed.data;
  for (const id of DIFFUSION_MODEL_IDS) {
    const model = manifest.models[id];
    await checkFile(dir, model, options.verifyHashes ?? true);
    if (model.externalData) await checkFile(dir, model.externalData, options.verifyHashes ?? true);
  }
  return { dir, manifest, modelPath: (id) => join(dir, manifest.models[id].file) };
}
