/** Small statistics for the benchmark scripts. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function describeMachine(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof import('node:os');
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export interface SyncTiming {
  median: number;
  p95: number;
  /** Median of this process's CPU time per run: on a shared machine wall time also counts other processes. */
  cpuMedian: number;
}

/** Records timed runs: `begin()` before one, the function it returns after it. */
function runRecorder() {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  return {
    begin(): () => void {
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      return () => {
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        const cpu = process.cpuUsage(cpuStart);
        cpuTimes.push((cpu.user + cpu.system) / 1e3);
      };
    },
    timing: (): SyncTiming => ({ median: percentile(times, 50), p95: percentile(times, 95), cpuMedian: percentile(cpuTimes, 50) }),
  };
}

/** Times a synchronous piece of work: `warmup` untimed runs, then `runs` timed ones (wall and CPU ms). */
export function timeSync(work: () => unknown, warmup: number, runs: number): SyncTiming {
  for (let i = 0; i < warmup; i++) work();
  const recorder = runRecorder();
  for (let i = 0; i < runs; i++) {
    const end = recorder.begin();
    work();
    end();
  }
  return recorder.timing();
}

/** The same for asynchronous work, one run at a time (nothing else of this process runs meanwhile). */
export async function timeAsync(work: () => Promise<unknown>, warmup: number, runs: number): Promise<SyncTiming> {
  for (let i = 0; i < warmup; i++) await work();
  const recorder = runRecorder();
  for (let i = 0; i < runs; i++) {
    const end = recorder.begin();
    await work();
    end();
  }
  return recorder.timing();
}
