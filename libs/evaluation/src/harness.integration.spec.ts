import { FaceAnalyzer } from '@facex/analysis';
import { renderWarpEdit } from '@facex/warp';
import { faceAtFrame, runEvaluation, variantMethod, type EvaluationResult } from './harness';
import { FaceJudge } from './judge/face-judge';
import { orderedPairs } from './pairs';
import { encodePng } from './png';
import { evaluationMarkdown } from './report';
import { loadSamplePeople, type Person } from './sample-people';
import { selfPairs, type EvalTask } from './tasks';

/**
 * The harness on a small subset: the 6 people of sample1.jpg and sample3.jpg, the first 3 ordered pairs (or
 * the first people alone); `npm run eval` runs the documented set.
 */
let analyzer: FaceAnalyzer;
let judge: FaceJudge;
let people: Person[];
beforeAll(async () => {
  [analyzer, judge] = await Promise.all([FaceAnalyzer.open({ workers: 1 }), FaceJudge.open({ workers: 1 })]);
  people = await loadSamplePeople(analyzer, ['sample1.jpg', 'sample3.jpg']);
}, 120_000);
afterAll(() => Promise.all([analyzer.close(), judge.close()]));

function evaluate(task: EvalTask, count: number, selfPeople = 0): Promise<EvaluationResult> {
  const alone = task.startsWith('inpaint') || task === 'attribute-remove';
  return runEvaluation({
    task,
    generator: { name: 'warp', render: async (recipe, inputs, options) => ({ image: renderWarpEdit(recipe, inputs, options).image }) },
    people,
    pairs: alone ? selfPairs(people.length, count) : orderedPairs(people.length, count),
    selfPeople,
    measure: async (image) => analyzer.analyzeAll(await encodePng(image)),
    judge: (image) => judge.describe(image),
    sheetPairs: alone ? selfPairs(people.length, 1) : [],
  });
}

const row = (result: EvaluationResult, method: string) => {
  const found = result.rows.find((r) => r.method === method);
  if (!found) throw new Error(`no row ${method}`);
  return found;
};

describe('evaluation harness on a small subset', () => {
  it('face swap: warp keeps more of the source identity than the unchanged target, for FORD and for the judge, within the naive paste’s pose error', async () => {
    const result = await evaluate('face-swap', 3);
    const [warp, naive, unchanged] = [row(result, 'warp'), row(result, 'naive paste'), row(result, 'target unchanged')];
    expect(warp.found).toBe(3);
    expect(warp.judgeFound).toBe(3);
    expect(warp.identity).toBeGreaterThan(unchanged.identity + 0.1);
    expect(warp.judgeDistance).toBeLessThan(unchanged.judgeDistance);
    expect(warp.pose).toBeLessThanOrEqual(naive.pose);
    // The trade-off row keeps the source's motion, so it misses the target's pose by more.
    expect(row(result, variantMethod('warp', 'source motion')).pose).toBeGreaterThan(warp.pose + 2);
    // The unchanged target is its own photo: retrieved as the target (never the source), no seam, nothing changed.
    expect(unchanged.pose).toBe(0);
    expect(unchanged.retrievalTop1).toBe(0);
    expect(unchanged.seam).toBe(1);
    expect(unchanged.changedOutside).toBe(0);
    // Paste-back leaves everything outside the fusion mask as it was.
    expect(warp.changedOutside).toBe(0);
    expect(naive.changedOutside).toBe(0);
    expect(result.records.filter((r) => r.method === 'warp')).toHaveLength(3);
    expect(evaluationMarkdown(result)).toContain('| warp | 3 | 3 / 3 |');
  }, 300_000);

  it('reenactment: pose and expression error to the driving face fall below the unchanged source; self-reenactment is near lossless', async () => {
    const result = await evaluate('reenact', 3, 1);
    const [warp, source, driving] = [row(result, 'warp'), row(result, 'source unchanged'), row(result, 'driving unchanged')];
    expect(warp.found).toBeGreaterThanOrEqual(2);
    expect(warp.pose).toBeLessThan(source.pose);
    expect(warp.expression).toBeLessThan(source.expression);
    // The driving photo is another frame: the pixel measures do not apply to it.
    expect(driving.seam).toBeNaN();
    const self = result.self.find((s) => s.method === 'warp');
    expect(self?.ssim).toBeGreaterThan(0.95);
    expect(self?.psnr).toBeGreaterThan(30);
  }, 300_000);

  it('inpainting: the push-pull fill leaves the region flat and the person less recognisable, the input keeps its own detail, nothing outside the edit changes', async () => {
    const result = await evaluate('inpaint', 2);
    const [warp, filled, input] = [row(result, 'warp'), row(result, 'hole filled'), row(result, 'input unchanged')];
    expect(filled.highFrequency).toBeLessThan(0.2);
    expect(input.highFrequency).toBe(1);
    expect(warp.changedOutside).toBe(0);
    expect(filled.changedOutside).toBe(0);
    // The input itself is retrieved as its own person; a flat nose and mouth region is not (the judge's view).
    expect(input.retrievalTop1).toBe(1);
    expect(filled.judgeDistance).toBeGreaterThan(0.3);
    expect(result.sheet).toHaveLength(1);
    expect(result.sheet[0].outputs.map((o) => o.method)).toEqual(['warp', 'hole filled']);
  }, 300_000);

  it('measures an output on the face at the frame face’s place, not on another face of the photo', () => {
    const [largest, second] = people;
    expect(faceAtFrame([second.representation, largest.representation], largest.representation)).toBe(largest.representation);
    expect(faceAtFrame([second.representation], largest.representation)).toBeNull();
  });
});
