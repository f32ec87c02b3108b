import { batchSizeSummary, batchingSpeedUp, jobsImagesPerSecond, jobsTable, speedUpSentence, type JobsRun } from './jobs-report';

const oneAtATime: JobsRun = { mode: 'one at a time', jobs: 8, wallMs: 40_000, callBatches: Array<number>(200).fill(2), unetMs: 38_000 };
const batched: JobsRun = { mode: 'continuous batching', jobs: 8, wallMs: 10_000, callBatches: Array<number>(25).fill(16), unetMs: 9_500 };

describe('jobs comparison report', () => {
  it('gives images/s as finished jobs over wall seconds and the ratio of the two modes', () => {
    expect(jobsImagesPerSecond(oneAtATime)).toBeCloseTo(0.2, 10);
    expect(batchingSpeedUp(oneAtATime, batched)).toBeCloseTo(4, 10);
  });

  it('summarises call sizes largest first', () => {
    expect(batchSizeSummary([16, 16, 8, 16, 4])).toBe('16×3, 8×1, 4×1');
    expect(batchSizeSummary([])).toBe('');
  });

  it('tabulates both runs with U-Net and remaining time', () => {
    const lines = jobsTable([oneAtATime, batched]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| one at a time | 8 | 40.0 | 0.20 | 200 | 2×200 | 190.0 | 38.0 | 2.00 |');
    expect(lines[3]).toBe('| continuous batching | 8 | 10.0 | 0.80 | 25 | 16×25 | 380.0 | 9.50 | 0.50 |');
  });

  it('judges 8 jobs against the 3× target and states other job counts without a verdict', () => {
    expect(speedUpSentence(oneAtATime, batched)).toBe(
      'Continuous batching of 8 jobs: 4.00× the images/s of running them one at a time (the GPU target for 8 jobs, ≥ 3×: met).',
    );
    expect(speedUpSentence(oneAtATime, { ...batched, wallMs: 20_000 })).toContain(
      '2.00× the images/s of running them one at a time (the GPU target for 8 jobs, ≥ 3×: not met)',
    );
    const four = (run: JobsRun): JobsRun => ({ ...run, jobs: 4 });
    expect(speedUpSentence(four(oneAtATime), four(batched))).toBe('Continuous batching of 4 jobs: 4.00× the images/s of running them one at a time.');
  });
});
