/** The concurrent-jobs comparison's figures and markdown: pure functions, no I/O. */

export type JobsMode = 'one at a time' | 'continuous batching';

/** One way of running the jobs: how long it took and what the batcher asked of the U-Net. */
export interface JobsRun {
  mode: JobsMode;
  jobs: number;
  wallMs: number;
  /** U-Net samples of every predictor call, in call order. */
  callBatches: readonly number[];
  /** Time spent inside predictor calls (U-Net run plus moving its inputs and outputs), summed. */
  unetMs: number;
}

/** The target on the GPU: 8 concurrent jobs give at least 3× the images/s of running them one at a time. */
export const BATCHING_TARGET = { jobs: 8, speedUp: 3 } as const;

export function jobsImagesPerSecond(run: Pick<JobsRun, 'jobs' | 'wallMs'>): number {
  return run.jobs / (run.wallMs / 1000);
}

/** images/s of continuous batching over images/s of the same jobs one at a time. */
export function batchingSpeedUp(oneAtATime: JobsRun, batched: JobsRun): number {
  return jobsImagesPerSecond(batched) / jobsImagesPerSecond(oneAtATime);
}

/** Call sizes as `size×count`, largest size first: `16×25`, `8×48, 4×2`. */
export function batchSizeSummary(callBatches: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const batch of callBatches) counts.set(batch, (counts.get(batch) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => b - a)
    .map(([batch, count]) => `${batch}×${count}`)
    .join(', ');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(ms >= 100_000 ? 0 : ms >= 10_000 ? 1 : 2);
const rate = (value: number): string => (value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(2) : value.toPrecision(2));

export function jobsTable(runs: readonly JobsRun[]): string {
  const lines = [
    '| mode | jobs | wall s | images/s | U-Net calls | samples per call (size×calls) | ms per U-Net call | U-Net s | sampler + other s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of runs) {
    const calls = run.callBatches.length;
    lines.push(
      `| ${run.mode} | ${run.jobs} | ${seconds(run.wallMs)} | ${rate(jobsImagesPerSecond(run))} | ${calls} | ${batchSizeSummary(run.callBatches)} | ${calls === 0 ? '—' : (run.unetMs / calls).toFixed(1)} | ${seconds(run.unetMs)} | ${seconds(Math.max(0, run.wallMs - run.unetMs))} |`,
    );
  }
  return lines.join('\n');
}

export function speedUpSentence(oneAtATime: JobsRun, batched: JobsRun): string {
  const speedUp = batchingSpeedUp(oneAtATime, batched);
  const sentence = `Continuous batching of ${batched.jobs} jobs: ${speedUp.toFixed(2)}× the images/s of running them one at a time`;
  if (batched.jobs !== BATCHING_TARGET.jobs) return `${sentence}.`;
  const verdict = speedUp >= BATCHING_TARGET.speedUp ? 'met' : 'not met';
  return `${sentence} (the GPU target for ${BATCHING_TARGET.jobs} jobs, ≥ ${BATCHING_TARGET.speedUp}×: ${verdict}).`;
}
