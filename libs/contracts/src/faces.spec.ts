import { parseCreateEditRequest, REFERENCE_SIMILARITY_THRESHOLD } from './edits';
import { FacexError } from './errors';
import { identitySimilarity, selectFaces, sortFaces, type FaceSummary } from './faces';

const pose = { yaw: 0, pitch: 0, roll: 0 };
const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
// FORD's order: largest box first. Face 1 is the left-most; faces 0 and 2 are one person.
const FACES: FaceSummary[] = [
  { index: 0, box: { x: 500, y: 0, width: 200, height: 200 }, score: 0.9, pose, identity: unit(1, 0.1, 0) },
  { index: 1, box: { x: 10, y: 0, width: 150, height: 150 }, score: 0.9, pose, identity: unit(0, 1, 0) },
  { index: 2, box: { x: 300, y: 0, width: 100, height: 100 }, score: 0.9, pose, identity: unit(1, -0.1, 0.1) },
];
const selection = (over: object) =>
  parseCreateEditRequest({
    task: { preset: 'face-swap', source: 0, target: 1 },
    inputs: [{ assetId: 'a'.repeat(64) }, { assetId: 'b'.repeat(64) }],
    faces: over,
  }).faces!;

describe('sortFaces', () => {
  it('orders largest first or by the box centre from left to right', () => {
    expect(sortFaces(FACES, 'largest-first').map((f) => f.index)).toEqual([0, 1, 2]);
    expect(sortFaces(FACES, 'left-to-right').map((f) => f.index)).toEqual([1, 2, 0]);
  });
});

describe('selectFaces', () => {
  it("chooses one face by its index in the sort order, by default the input's own face index", () => {
    expect(selectFaces(FACES, selection({ mode: 'index', sort: 'left-to-right', index: 0 }), 0)).toEqual([1]);
    expect(selectFaces(FACES, selection({ mode: 'index' }), 2)).toEqual([2]);
  });

  it('chooses every face, in the sort order', () => {
    expect(selectFaces(FACES, selection({ mode: 'all', sort: 'left-to-right' }), 0)).toEqual([1, 2, 0]);
  });

  it('chooses exactly the faces whose identity matches the reference above the threshold', () => {
    const reference = { ...FACES[0], identity: unit(1, 0, 0) };
    const chosen = selectFaces(FACES, selection({ mode: 'reference', reference: { assetId: 'c'.repeat(64), faceIndex: 0 } }), 0, reference);
    expect(chosen).toEqual([0, 2]);
    expect(identitySimilarity(FACES[1].identity, reference.identity)).toBeLessThan(REFERENCE_SIMILARITY_THRESHOLD);
  });

  it.each([
    ['an index past the faces', { mode: 'index', index: 3 }, undefined, 'faces.index'],
    ['a reference without a face', { mode: 'reference', reference: { assetId: 'c'.repeat(64), faceIndex: 4 } }, null, 'faces.reference'],
    [
      'a reference no face matches',
      { mode: 'reference', reference: { assetId: 'c'.repeat(64), faceIndex: 0 } },
      { ...FACES[0], identity: unit(0, 0, 1) },
      'faces.reference',
    ],
  ])('refuses %s with a 422 naming the field', (_, over, reference, field) => {
    try {
      selectFaces(FACES, selection(over), 0, reference as FaceSummary | null | undefined);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(FacexError);
      expect([(error as FacexError).status, (error as FacexError).details['field']]).toEqual([422, field]);
    }
  });

  it('refuses contradictory selections when the request is parsed', () => {
    expect(() => selection({ mode: 'reference' })).toThrow(/faces.reference/);
    expect(() => selection({ mode: 'all', index: 1 })).toThrow(/faces.index/);
    expect(() => selection({ mode: 'all', sort: 'random' })).toThrow(/faces.sort/);
  });
});
