import type { MethodSummary, PairRecord, SelfSummary } from './harness';
import { parseResults, serialiseResults, withEarlierRevisions, RESULTS_FORMAT, type StoredResults } from './results';

const summary = (method: string, revision?: string): MethodSummary => ({
  method,
  ...(revision ? { revision } : {}),
  pairs: 1,
  found: 1,
  judgeFound: 1,
  degraded: 0,
  identity: 0.5,
  expression: 0.1,
  pose: 2,
  gaze: 3,
  judgeDistance: 0.4,
  retrievalTop1: 1,
  seam: 1.1,
  highFrequency: Number.NaN,
  changedOutside: 0,
});
const record = (method: string): PairRecord => ({
  source: 0,
  target: 1,
  method,
  degraded: false,
  identity: 0.5,
  expression: 0.1,
  pose: 2,
  gaze: 3,
  judgeDistance: 0.4,
  retrieved: 0,
  retrievedCorrectly: true,
  seam: 1.1,
  highFrequency: null,
  changedOutside: 0,
});
const self = (method: string, psnr = 40): SelfSummary => ({ method, people: 1, ssim: 0.99, psnr, rmse: 1 });

function results(methods: Array<[string, string?]>, overrides: Partial<StoredResults> = {}): StoredResults {
  return {
    format: RESULTS_FORMAT,
    task: 'reenact',
    generator: 'warp',
    judge: 'j1',
    people: ['a', 'b'],
    pairs: [{ source: 0, target: 1 }],
    rows: methods.map(([m, r]) => summary(m, r)),
    records: methods.map(([m]) => record(m)),
    self: [...methods.map(([m]) => self(m)), self('source unchanged', Infinity)],
    ...overrides,
  };
}

describe('stored results', () => {
  it('round-trip through JSON, NaN and infinity included', () => {
    const stored = results([['warp']]);
    const back = parseResults(serialiseResults(stored));
    expect(back.rows[0].highFrequency).toBeNaN();
    expect(back.self[1].psnr).toBe(Infinity);
    expect(back).toEqual(stored);
  });

  it('keep an earlier revision’s rows, records and self-reenactment rows when the new run measured the same set', () => {
    const previous = results([['warp'], ['warp@a88d048', 'a88d048']]);
    const merged = withEarlierRevisions(results([['warp']]), previous);
    expect(merged.rows.map((r) => r.method)).toEqual(['warp', 'warp@a88d048']);
    expect(merged.records.map((r) => r.method)).toEqual(['warp', 'warp@a88d048']);
    expect(merged.self.map((s) => s.method)).toEqual(['warp', 'warp@a88d048', 'source unchanged']);
  });

  it('drop them when the people, the pairs or the judge differ, or when the run rendered that revision itself', () => {
    const previous = results([['warp'], ['warp@a88d048', 'a88d048']]);
    for (const current of [
      results([['warp']], { pairs: [{ source: 1, target: 0 }] }),
      results([['warp']], { people: ['a', 'c'] }),
      results([['warp']], { judge: 'j2' }),
    ]) {
      expect(withEarlierRevisions(current, previous).rows.map((r) => r.method)).toEqual(['warp']);
    }
    const rendered = results([['warp'], ['warp@a88d048', 'a88d048']]);
    rendered.rows[1].pose = 9;
    expect(withEarlierRevisions(rendered, previous).rows[1].pose).toBe(9);
  });
});
