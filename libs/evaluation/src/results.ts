/**
 * The evaluation's machine-readable results (docs/eval/results/<task>-<generator>.json): the summary rows,
 * every measured output and the pairs and people they were measured on. Rows rendered by another revision's
 * generator carry that revision; a later run that does not render the revision again keeps its rows, as long
 * as it measures the same people and pairs, so a report always shows the earlier generator beside the new.
 */
import type { EvaluationResult, MethodSummary, PairRecord, SelfSummary } from './harness';
import type { PersonPair } from './pairs';
import type { EvalTask } from './tasks';

export const RESULTS_FORMAT = 1;

export interface StoredResults {
  format: typeof RESULTS_FORMAT;
  task: EvalTask;
  generator: string;
  /** The judge pack's version (the judge's models and how they were built). */
  judge: string;
  /** Person ids (`sample3.jpg#1`), in index order: what pair indices refer to. */
  people: string[];
  pairs: PersonPair[];
  rows: MethodSummary[];
  records: PairRecord[];
  self: SelfSummary[];
}

/** JSON has no NaN or ∞: they are written as strings and read back. */
const replacer = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
const reviver = (_key: string, value: unknown): unknown => (value === 'NaN' || value === 'Infinity' || value === '-Infinity' ? Number(value) : value);

export function storeResults(
  result: EvaluationResult,
  generator: string,
  judge: string,
  people: readonly string[],
  pairs: readonly PersonPair[],
): StoredResults {
  return {
    format: RESULTS_FORMAT,
    task: result.task,
    generator,
    judge,
    people: [...people],
    pairs: [...pairs],
    rows: result.rows,
    records: result.records,
    self: result.self,
  };
}

export function serialiseResults(results: StoredResults): string {
  return `${JSON.stringify(results, replacer, 1)}\n`;
}

export function parseResults(text: string): StoredResults {
  const parsed = JSON.parse(text, reviver) as StoredResults;
  if (parsed.format !== RESULTS_FORMAT) throw new Error(`results format ${String(parsed.format)} is not ${RESULTS_FORMAT}`);
  return parsed;
}

const samePairs = (a: readonly PersonPair[], b: readonly PersonPair[]): boolean =>
  a.length === b.length && a.every((p, i) => p.source === b[i].source && p.target === b[i].target);

/**
 * `current` with the revision rows (and their records and self-reenactment rows) of `previous` that it does
 * not have itself, when both measured the same people and pairs with the same judge.
 */
export function withEarlierRevisions(current: StoredResults, previous: StoredResults | null): StoredResults {
  if (!previous || previous.task !== current.task || previous.judge !== current.judge) return current;
  if (previous.people.join('\n') !== current.people.join('\n') || !samePairs(previous.pairs, current.pairs)) return current;
  const have = new Set(current.rows.map((r) => r.method));
  const carried = previous.rows.filter((r) => r.revision !== undefined && !have.has(r.method));
  if (carried.length === 0) return current;
  const methods = new Set(carried.map((r) => r.method));
  const selfCarried = previous.self.filter((s) => methods.has(s.method) && !current.self.some((c) => c.method === s.method));
  // Earlier revisions' self-reenactment rows go before the closing "source unchanged" row.
  const self = current.self.length > 0 ? [...current.self.slice(0, -1), ...selfCarried, ...current.self.slice(-1)] : selfCarried;
  return { ...current, rows: [...current.rows, ...carried], records: [...current.records, ...previous.records.filter((r) => methods.has(r.method))], self };
}
