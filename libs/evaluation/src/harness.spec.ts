import { FaceAnalyzer } from '@facex/analysis';
import { renderWarpEdit } from '@facex/warp';
import { runEvaluation, faceAtFrame, sourceMotionMethod, type EvalTask, type EvaluationResult } from './harness';
import { orderedPairs } from './pairs';
import { encodePng } from './png';
import { evaluationMarkdown } from './report';
import { loadSamplePeople, type Person } from './sample-people';

/**
 * The acceptance checks on a small subset: the 6 people of sample1.jpg and sample3.jpg, the first 3
 * ordered pairs (npm run eval runs the documented 30).
 */
let analyzer: FaceAnalyzer;
let people: Person[];
beforeAll(async () => {
  analyzer = await FaceAnalyzer.open({ workers: 1 });
  people = await loadSamplePeople(analyzer, ['sample1.jpg', 'sample3.jpg']);
});
afterAll(() => analyzer.close());

function evaluate(task: EvalTask, selfPeople = 0): Promise<EvaluationResult> {
  return runEvaluation({
    task,
    generator: { name: 'warp', render: async (recipe, inputs) => ({ image: renderWarpEdit(recipe, inputs).image }) },
    people,
    pairs: orderedPairs(people.length, 3),
    selfPeople,
    measure: async (image) => analyzer.analyzeAll(await encodePng(image)),
  });
}

const row = (result: EvaluationResult, method: string) => {
  const found = result.rows.find((r) => r.method === method);
  if (!found) throw new Error(`no row ${method}`);
  return found;
};

describe('evaluation harness on a small subset', () => {
  it('face swap: warp keeps more of the source identity than the unchanged target, within the naive paste’s pose error', async () => {
    const result = await evaluate('face-swap');
    const [warp, naive, unchanged] = [row(result, 'warp'), row(result, 'naive paste'), row(result, 'target unchanged')];
    expect(warp.found).toBe(3);
    expect(warp.identity).toBeGreaterThan(unchanged.identity + 0.1);
    expect(warp.pose).toBeLessThanOrEqual(naive.pose);
    // The trade-off row keeps the source's motion, so it misses the target's pose by more.
    expect(row(result, sourceMotionMethod('warp')).pose).toBeGreaterThan(warp.pose + 2);
    expect(unchanged.pose).toBe(0);
    expect(evaluationMarkdown(result)).toContain('| warp | 3 | 3 |');
  });

  it('reenactment: pose and expression error to the driving face fall below the unchanged source; self-reenactment is near lossless', async () => {
    const result = await evaluate('reenact', 1);
    const [warp, source] = [row(result, 'warp'), row(result, 'source unchanged')];
    expect(warp.found).toBeGreaterThanOrEqual(2);
    expect(warp.pose).toBeLessThan(source.pose);
    expect(warp.expression).toBeLessThan(source.expression);
    const self = result.self.find((s) => s.method === 'warp');
    expect(self?.ssim).toBeGreaterThan(0.95);
    expect(self?.psnr).toBeGreaterThan(30);
  });

  it('measures an output on the face at the frame face’s place, not on another face of the photo', () => {
    const [largest, second] = people;
    expect(faceAtFrame([second.representation, largest.representation], largest.representation)).toBe(largest.representation);
    expect(faceAtFrame([second.representation], largest.representation)).toBeNull();
  });
});
