/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { cp, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { isFacexError } from '@facex/contracts';
import { MANIFEST_FILE, MODEL_CATALOG, MODEL_IDS, buildModelPack, ensureModelPack, expectedPackVersion, loadModelPack, type ModelPackManifest } from './index';
import { sha256Hex } from './sha256';

const NODE_MODULES = join(__dirname, '../../../node_modules');

async function expectPackInvalid(promise: Promise<unknown>, fileFragment: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
  expect((error as Error).message).toContain(fileFragment);
}

describe('model pack', () => {
  let workDir: string;
  let packDir: string;
  let manifest: ModelPackManifest;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'facex-model-pack-'));
    packDir = join(workDir, 'facex-ford');
    manifest = await buildModelPack(packDir);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  async function copyOfPack(name: string): Promise<string> {
    const dir = join(workDir, name);
    await cp(packDir, dir, { recursive: true });
    return dir;
  }

  it('describes every model with its file hash, sources, NHWC interface and preprocessing', async () => {
    expect(manifest.name).toBe('facex-ford');
    expect(manifest.version).toBe(expectedPackVersion());
    expect(manifest.randomWeights).toBe(false);
    for (const id of MODEL_IDS) {
      const model = manifest.models[id];
      const bytes = await readFile(join(packDir, model.file));
      expect(model.sha256).toBe(sha256Hex(bytes));
      expect(model.bytes).toBe(bytes.byteLength);
      expect(model.sources.map((s) => s.sha256)).toEqual([MODEL_CATALOG[id].modelJson, ...MODEL_CATALOG[id].weights].map((s) => s.sha256));
    }
    expect(manifest.models.facemesh.inputs).toEqual([{ name: 'input_1', dims: [-1, 192, 192, 3], dtype: 'float32', layout: 'NHWC' }]);
    expect(manifest.models.facemesh.outputs.map((o) => [o.name, o.dims])).toEqual([
      ['Identity', [-1, 266]],
      ['Identity_1', [-1, 1]],
      ['Identity_2', [-1, 1404]],
    ]);
    expect(manifest.models.iris.outputs).toEqual([{ name: 'Identity', dims: [-1, 1, 1, 228], dtype: 'float32', layout: 'NHWC' }]);
    expect(manifest.models.mobileface.outputs).toEqual([{ name: 'batchnorm0/add_1', dims: [-1, 256], dtype: 'float32', layout: 'ND' }]);
    expect(manifest.models.selfie.outputs).toEqual([{ name: 'activation_10', dims: [1, 256, 256, 1], dtype: 'float32', layout: 'NHWC' }]);
    expect(manifest.models.blazeface.preprocessing.valueRange).toEqual([-1, 1]);
    expect(manifest.models.selfie.preprocessing.valueRange).toEqual([0, 1]);
  });

  it('loads an intact pack and returns its manifest', async () => {
    await expect(loadModelPack(packDir)).resolves.toEqual(manifest);
  });

  it('is deterministic: a second build gives byte-identical files and manifest', async () => {
    const again = join(workDir, 'second-build');
    await buildModelPack(again);
    expect(await readFile(join(again, MANIFEST_FILE))).toEqual(await readFile(join(packDir, MANIFEST_FILE)));
    for (const id of MODEL_IDS) expect(sha256Hex(await readFile(join(again, manifest.models[id].file)))).toBe(manifest.models[id].sha256);
  });

  it('refuses a truncated model file, naming it', async () => {
    const dir = await copyOfPack('truncated');
    await truncate(join(dir, 'iris.onnx'), manifest.models.iris.bytes - 100);
    await expectPackInvalid(loadModelPack(dir), 'iris.onnx');
  });

  it('refuses an altered model file of the right size, naming it', async () => {
    const dir = await copyOfPack('altered');
    const path = join(dir, 'selfie.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    await writeFile(path, bytes);
    await expectPackInvalid(loadModelPack(dir), 'selfie.onnx');
  });

  it('refuses a pack with a missing model file or manifest', async () => {
    const dir = await copyOfPack('missing');
    await rm(join(dir, 'blazeface.onnx'));
    await expectPackInvalid(loadModelPack(dir), 'blazeface.onnx');
    await rm(join(dir, MANIFEST_FILE));
    await expectPackInvalid(loadModelPack(dir), MANIFEST_FILE);
  });

  it('setup keeps a verified pack untouched and rebuilds a damaged one', async () => {
    const dir = await copyOfPack('ensure');
    const manifestPath = join(dir, MANIFEST_FILE);
    const before = (await stat(manifestPath)).mtimeMs;
    await expect(ensureModelPack(dir)).resolves.toMatchObject({ rebuilt: false });
    expect((await stat(manifestPath)).mtimeMs).toBe(before);
    await truncate(join(dir, 'facemesh.onnx'), 10);
    await expect(ensureModelPack(dir)).resolves.toMatchObject({ rebuilt: true });
    await expect(loadModelPack(dir)).resolves.toEqual(manifest);
  });

  it('refuses to convert a source whose sha256 differs from the pinned one', async () => {
    const sourceRoot = join(workDir, 'sources');
    for (const id of MODEL_IDS) {
      for (const source of [MODEL_CATALOG[id].modelJson, ...MODEL_CATALOG[id].weights]) {
        await cp(join(NODE_MODULES, source.path), join(sourceRoot, source.path));
      }
    }
    const tampered = join(sourceRoot, MODEL_CATALOG.selfie.weights[0]?.path ?? '');
    const bytes = await readFile(tampered);
    bytes[0] = (bytes[0] as number) ^ 1;
    await writeFile(tampered, bytes);
    await expectPackInvalid(buildModelPack(join(workDir, 'tampered'), { sourceRoot }), 'selfie.bin');
  });
});
