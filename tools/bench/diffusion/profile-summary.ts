/** Where an ORT evaluation spends its time, from the Chrome-trace JSON that `enableProfiling` writes. */

export interface OpTypeTime {
  opType: string;
  ms: number;
  share: number;
  nodes: number;
}

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

/**
 * Kernel time per op type over the evaluations in the trace, divided by `evaluations` (each run adds one
 * `<node>_kernel_time` event per node). Sorted by time, largest first.
 */
export function summariseProfile(events: readonly unknown[], evaluations: number): OpTypeTime[] {
  const byType = new Map<string, { us: number; nodes: Set<string> }>();
  let totalUs = 0;
  for (const raw of events) {
    const event = raw as TraceEvent;
    if (event.cat !== 'Node' || !event.name?.endsWith('_kernel_time') || typeof event.dur !== 'number') continue;
    const opType = event.args?.op_name ?? 'unknown';
    const entry = byType.get(opType) ?? { us: 0, nodes: new Set<string>() };
    entry.us += event.dur;
    entry.nodes.add(event.name);
    byType.set(opType, entry);
    totalUs += event.dur;
  }
  return [...byType.entries()]
    .map(([opType, { us, nodes }]) => ({ opType, ms: us / 1000 / evaluations, share: totalUs === 0 ? 0 : us / totalUs, nodes: nodes.size }))
    .sort((a, b) => b.ms - a.ms);
}

export function profileTable(times: readonly OpTypeTime[], limit = 12): string {
  const lines = ['| op type | nodes | ms/eval | share |', '|---|---|---|---|'];
  for (const t of times.slice(0, limit)) lines.push(`| ${t.opType} | ${t.nodes} | ${t.ms.toFixed(1)} | ${(100 * t.share).toFixed(1)}% |`);
  return lines.join('\n');
}
