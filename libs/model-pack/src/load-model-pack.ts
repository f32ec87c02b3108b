/** Loads a model pack's manifest after checking that every model file is present, complete and unaltered. */
import { readFile, stat } from 'fs/promises';
import { join } from 'path';
import type { z } from 'zod';
import { FacexError } from '@facex/contracts';
import { MANIFEST_FILE, MODEL_IDS, manifestSchema, type ModelPackManifest } from './manifest';
import { sha256Hex } from './sha256';

/** A pack's `manifest.json` in `dir`, parsed by `schema`; `what` names the pack in errors ("model pack"). */
export async function readPackManifest<T>(dir: string, schema: z.ZodType<T>, what = 'model pack'): Promise<T> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new FacexError('model_pack_invalid', `${what} manifest ${path} is missing (run \`npm run setup\`)`, { file: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FacexError('model_pack_invalid', `${what} manifest ${path} is not valid JSON`, { file: path });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') : '(root)';
    throw new FacexError('model_pack_invalid', `${what} manifest ${path}: ${field}: ${issue?.message}`, { file: path, field });
  }
  return parsed.data;
}

const readManifest = (dir: string): Promise<ModelPackManifest> => readPackManifest(dir, manifestSchema);

export async function verifyFile(dir: string, file: string, bytes: number, sha256: string): Promise<void> {
  const path = join(dir, file);
  const size = await stat(path).then(
    (info) => info.size,
    () => {
      throw new FacexError('model_pack_invalid', `model file ${path} is missing`, { file: path });
    },
  );
  if (size !== bytes)
    throw new FacexError('model_pack_invalid', `model file ${path} has ${size} bytes, the manifest says ${bytes} (truncated or replaced)`, { file: path });
  const actual = sha256Hex(await readFile(path));
  if (actual !== sha256)
    throw new FacexError('model_pack_invalid', `model file ${path} has sha256 ${actual}, the manifest says ${sha256} (altered)`, { file: path });
}

/** The parsed manifest of the pack in `dir`; throws `model_pack_invalid` naming the first bad file. */
export async function loadModelPack(dir: string): Promise<ModelPackManifest> {
  const manifest = await readManifest(dir);
  for (const id of MODEL_IDS) {
    const model = manifest.models[id];
    await verifyFile(dir, model.file, model.bytes, model.sha256);
  }
  return manifest;
}
