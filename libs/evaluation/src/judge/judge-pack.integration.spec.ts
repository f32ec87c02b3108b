import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFacexError } from '@facex/contracts';
import { buildJudgeModel, buildJudgePack, ensureJudgePack, expectedJudgeVersion, JUDGE_MODEL_IDS, loadJudgePack } from './judge-pack';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-judge-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the judge pack', () => {
  it('builds the three models from the pinned face-api files, with their hashes and sources in its manifest', async () => {
    const manifest = await buildJudgePack(dir);
    expect(manifest.version).toBe(expectedJudgeVersion());
    expect(Object.keys(manifest.models)).toEqual([...JUDGE_MODEL_IDS]);
    expect(manifest.models.recognition.sources.map((s) => s.path)).toEqual([
      '@vladmandic/face-api/model/face_recognition_model-weights_manifest.json',
      '@vladmandic/face-api/model/face_recognition_model.bin',
    ]);
    await expect(loadJudgePack(dir)).resolves.toEqual(manifest);
  });

  it('builds the same bytes every time', async () => {
    const manifest = await loadJudgePack(dir);
    const again = await buildJudgeModel('landmarks');
    expect(again.byteLength).toBe(manifest.models.landmarks.bytes);
    expect(Buffer.from(again).equals(await readFile(join(dir, manifest.models.landmarks.file)))).toBe(true);
  });

  it('refuses an altered model file, and setup rebuilds it', async () => {
    const file = join(dir, 'landmarks.onnx');
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    const error = await loadJudgePack(dir).catch((e: unknown) => e);
    expect(isFacexError(error, 'model_pack_invalid')).toBe(true);
    const { rebuilt } = await ensureJudgePack(dir);
    expect(rebuilt).toBe(true);
    await expect(loadJudgePack(dir)).resolves.toBeDefined();
  });
});
