import { join } from 'node:path';
import { decodeImage, FaceAnalyzer } from '@facex/analysis';
import type { AssemblyInput } from '../inputs';
import { checkGoldenImages, goldenCases } from './golden-harness';
import { samplePhoto } from '@facex/analysis/testing';

/**
 * I^R of every preset on two real faces (source: sample1's largest face, target: sample3's largest), against
 * reviewed PNGs in ./fixtures. After a deliberate change to FORD or the assemblers, regenerate them with
 * `UPDATE_GOLDEN=1 npx jest libs/assemblers/src/golden`, look at every image, and commit them.
 */
const FIXTURES = join(__dirname, 'fixtures');

async function realInput(analyzer: FaceAnalyzer, photo: string): Promise<AssemblyInput> {
  const bytes = samplePhoto(photo);
  const [representation, { image }] = await Promise.all([analyzer.analyze(bytes, 0), decodeImage(bytes)]);
  return { representation, image };
}

describe('Region Assembler on real faces', () => {
  it('produces the reviewed I^R for every preset', async () => {
    const analyzer = await FaceAnalyzer.open({ workers: 1 });
    try {
      const [source, target] = [await realInput(analyzer, 'sample1.jpg'), await realInput(analyzer, 'sample3.jpg')];
      const results = await checkGoldenImages(source, target, FIXTURES, { update: process.env['UPDATE_GOLDEN'] === '1' });
      expect(results.map((r) => r.name)).toEqual(goldenCases().map((c) => c.name));
      for (const result of results)
        expect({ name: result.name, status: result.status }).toEqual({ name: result.name, status: expect.stringMatching(/^(match|written)$/) });
    } finally {
      await analyzer.close();
    }
  });
});
