import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESET_NAMES } from '@facex/contracts';
import type { AssemblyInput } from '../inputs';
import { sourceAndTarget, syntheticFace, type SyntheticFace } from '../testing/synthetic-face';
import { checkGoldenImages, goldenCases, imageDifference } from './golden-harness';

// The harness on synthetic faces; the real-photo goldens call checkGoldenImages with FORD's output.
const asInput = (face: SyntheticFace): AssemblyInput => ({ representation: face.representation, image: face.image });
const { source, target } = sourceAndTarget();

describe('golden-image harness', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'facex-golden-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('covers every preset', () => {
    const presets = new Set(goldenCases().map((c) => c.recipe.task.preset));
    expect([...presets].sort()).toEqual([...PRESET_NAMES].sort());
  });

  it('reports missing goldens, writes them on update, then matches them', async () => {
    expect((await checkGoldenImages(asInput(source), asInput(target), directory)).every((r) => r.status === 'missing')).toBe(true);
    expect((await checkGoldenImages(asInput(source), asInput(target), directory, { update: true })).every((r) => r.status === 'written')).toBe(true);
    const again = await checkGoldenImages(asInput(source), asInput(target), directory);
    expect(again.map((r) => r.status)).toEqual(goldenCases().map(() => 'match'));
    expect(again.every((r) => r.meanAbsDiff === 0)).toBe(true);
  });

  it('matches the same target framed differently in its image (the crops are aligned)', async () => {
    const reframed = syntheticFace({ seed: 11, imageWidth: 460, imageHeight: 380, centre: [260, 190], scale: 0.5, angle: 0.2 });
    const results = await checkGoldenImages(asInput(source), asInput(reframed), directory);
    expect(results.every((r) => r.status === 'match')).toBe(true);
  });

  it('flags a case whose reference changed', async () => {
    const recoloured = syntheticFace({
      seed: 11,
      imageWidth: 460,
      imageHeight: 380,
      centre: [240, 200],
      scale: 0.62,
      angle: -0.1,
      palette: { hair: [10, 10, 10] },
    });
    const results = await checkGoldenImages(asInput(source), asInput(recoloured), directory);
    expect(results.find((r) => r.name === 'face-swap')?.status).toBe('mismatch');
    expect(results.find((r) => r.name === 'attribute-edit-mask-out-hair')?.status).toBe('match'); // its hair is masked out
  });

  it('measures the difference of two images', () => {
    const a = { data: new Uint8Array([0, 0, 0, 100, 100, 100]), width: 2, height: 1 };
    const b = { data: new Uint8Array([0, 0, 0, 100, 100, 160]), width: 2, height: 1 };
    expect(imageDifference(a, b, 32)).toEqual({ meanAbsDiff: 10, outlierFraction: 1 / 6 });
    expect(imageDifference(a, { ...b, width: 1, height: 2 }, 32).meanAbsDiff).toBe(Infinity);
  });
});
