import { selectNextBatch, worthWaitingForMore, type BatchCandidate } from './select-next-batch';

const job = (id: number, overrides: Partial<BatchCandidate> = {}): BatchCandidate => ({
  id,
  groupKey: '64x64/77x768',
  samples: 2,
  lastServed: -1,
  admitted: id,
  ...overrides,
});

describe('selectNextBatch', () => {
  it('selects nothing when no job is ready', () => {
    expect(selectNextBatch([], 8)).toBeUndefined();
  });

  it('serves the least recently evaluated jobs first, so a job that just joined is in the next call', () => {
    const selection = selectNextBatch([job(0, { lastServed: 4 }), job(1, { lastServed: 3 }), job(2, { lastServed: -1 })], 4);
    expect(selection?.ids).toEqual([2, 1]);
    expect(selection?.backlog).toBe(true);
  });

  it('breaks ties by admission order', () => {
    expect(selectNextBatch([job(5, { admitted: 9 }), job(6, { admitted: 2 })], 2)?.ids).toEqual([6]);
  });

  it('batches only jobs of the first job’s shape group and reports the others as backlog', () => {
    const selection = selectNextBatch([job(0), job(1, { groupKey: '96x64/77x768' }), job(2)], 8);
    expect(selection).toEqual({ groupKey: '64x64/77x768', ids: [0, 2], samples: 4, backlog: true });
  });

  it('never exceeds the cap nor splits a job’s halves, but fills a last slot with a one-sample job', () => {
    const selection = selectNextBatch([job(0), job(1), job(2), job(3, { samples: 1 })], 5);
    expect(selection?.ids).toEqual([0, 1, 3]);
    expect(selection?.samples).toBe(5);
  });

  it('lets every job in within a few calls when more are active than one call holds (no starvation)', () => {
    const jobs = Array.from({ length: 5 }, (_, id) => ({ ...job(id) }));
    const served = new Set<number>();
    for (let call = 0; call < 3; call++) {
      const selection = selectNextBatch(jobs, 4);
      for (const id of selection?.ids ?? []) {
        served.add(id);
        jobs[id].lastServed = call;
      }
      expect(selection?.samples).toBeLessThanOrEqual(4);
    }
    expect(served.size).toBe(5);
  });
});

describe('worthWaitingForMore', () => {
  it('waits only when the call has room and no ready job is left out', () => {
    const roomy = selectNextBatch([job(0)], 8)!;
    expect(worthWaitingForMore(roomy, 8)).toBe(true);
    expect(worthWaitingForMore(selectNextBatch([job(0), job(1)], 4)!, 4)).toBe(false);
    expect(worthWaitingForMore(selectNextBatch([job(0), job(1, { groupKey: 'other' })], 8)!, 8)).toBe(false);
  });
});
