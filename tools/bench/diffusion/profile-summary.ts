/** Where an ORT evaluation spends its time, from the Chrome-trace JSON that `enableProfiling` writes. */

export interface OpTypeTime {
  opType: string;
  ms: number;
  share: number;
  nodes: number;
}

export interface ProfileSummary {
  /** What the times measure: GPU execution (WebGPU timestamp queries) or each kernel's wall time on its thread. */
  clock: 'GPU timestamp queries' | 'kernel wall time';
  /** Largest first. */
  times: OpTypeTime[];
}

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

/** One timed piece of work: its node and op type. */
interface Sample {
  node: string;
  opType: string;
  us: number;
}

/** CPU-side kernels: one `<node>_kernel_time` event per node and run (on a GPU provider, only the dispatch). */
function kernelSamples(events: readonly TraceEvent[]): Sample[] {
  return events
    .filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && typeof e.dur === 'number')
    .map((e) => ({ node: e.name as string, opType: e.args?.op_name ?? 'unknown', us: e.dur as number }));
}

/** WebGPU: one `Api` event per GPU program, named `<node>&<op type>&<program>`, timed by timestamp queries. */
function gpuSamples(events: readonly TraceEvent[]): Sample[] {
  return events
    .filter((e) => e.cat === 'Api' && typeof e.dur === 'number' && (e.name?.split('&').length ?? 0) >= 3)
    .map((e) => {
      const [node, opType] = (e.name as string).split('&');
      return { node: node as string, opType: opType as string, us: e.dur as number };
    });
}

/**
 * Time per op type over the evaluations in the trace, divided by `evaluations`; GPU time where the trace has
 * it (WebGPU), else kernel wall time. Sorted by time, largest first.
 */
export function summariseProfile(rawEvents: readonly unknown[], evaluations: number): ProfileSummary {
  const events = rawEvents as readonly TraceEvent[];
  const gpu = gpuSamples(events);
  const samples = gpu.length > 0 ? gpu : kernelSamples(events);
  const byType = new Map<string, { us: number; nodes: Set<string> }>();
  let totalUs = 0;
  for (const sample of samples) {
    const entry = byType.get(sample.opType) ?? { us: 0, nodes: new Set<string>() };
    entry.us += sample.us;
    entry.nodes.add(sample.node);
    byType.set(sample.opType, entry);
    totalUs += sample.us;
  }
  const times = [...byType.entries()]
    .map(([opType, { us, nodes }]) => ({ opType, ms: us / 1000 / evaluations, share: totalUs === 0 ? 0 : us / totalUs, nodes: nodes.size }))
    .sort((a, b) => b.ms - a.ms);
  return { clock: gpu.length > 0 ? 'GPU timestamp queries' : 'kernel wall time', times };
}

export function profileTable(times: readonly OpTypeTime[], limit = 12): string {
  const lines = ['| op type | nodes | ms/eval | share |', '|---|---|---|---|'];
  for (const t of times.slice(0, limit)) lines.push(`| ${t.opType} | ${t.nodes} | ${t.ms.toFixed(1)} | ${(100 * t.share).toFixed(1)}% |`);
  return lines.join('\n');
}
