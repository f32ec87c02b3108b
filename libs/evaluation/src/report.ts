/** The evaluation's markdown tables, in the paper's layout (↑ higher is better, ↓ lower is better, → 1 best at 1). */
import type { EvaluationResult, MethodSummary, SelfSummary } from './harness';
import { TASKS } from './tasks';

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : value > 0 ? '∞' : '–');
const percent = (share: number): string => (Number.isFinite(share) ? `${(100 * share).toFixed(1)} %` : '–');

function mainTable(rows: readonly MethodSummary[], identityOf: string, motionOf: string): string {
  const head =
    `| method | pairs | face found (FORD / judge) | ID retrieval top-1 (judge) ↑ | judge distance to ${identityOf} ↓ | MobileFaceNet sim. to ${identityOf} ↑ ` +
    `| expression err. to ${motionOf} ↓ | pose err. (°) ↓ | gaze err. (°) ↓ | seam ratio (→ 1) | HF ratio (→ 1) | outputs changed outside the edit | flagged degraded |`;
  const lines = rows.map(
    (r) =>
      `| ${r.method} | ${r.pairs} | ${r.found} / ${r.judgeFound} | ${percent(r.retrievalTop1)} | ${fixed(r.judgeDistance, 3)} | ${fixed(r.identity, 3)} ` +
      `| ${fixed(r.expression, 3)} | ${fixed(r.pose, 2)} | ${fixed(r.gaze, 2)} | ${fixed(r.seam, 2)} | ${fixed(r.highFrequency, 2)} | ${Number.isFinite(r.changedOutside) ? r.changedOutside : '–'} | ${r.degraded} |`,
  );
  return [head, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|', ...lines].join('\n');
}

function selfTable(rows: readonly SelfSummary[]): string {
  const lines = rows.map((r) => `| ${r.method} | ${r.people} | ${fixed(r.ssim, 4)} | ${fixed(r.psnr, 2)} | ${fixed(r.rmse, 2)} |`);
  return ['| method | people | SSIM ↑ | PSNR (dB) ↑ | RMSE ↓ |', '|---|---:|---:|---:|---:|', ...lines].join('\n');
}

/** Who the identity and motion columns compare with, in the task's words. */
export function references(task: EvaluationResult['task']): { identityOf: string; motionOf: string } {
  const definition = TASKS[task];
  if (definition.subjects === 'people') return { identityOf: 'input', motionOf: 'input' };
  if (task === 'reenact') return { identityOf: 'source', motionOf: 'driving' };
  if (task === 'attribute-add') return { identityOf: 'target', motionOf: 'target' };
  return { identityOf: 'source', motionOf: 'target' };
}

export function evaluationMarkdown(result: Pick<EvaluationResult, 'task' | 'rows' | 'self'>): string {
  const { identityOf, motionOf } = references(result.task);
  const parts = [`### ${result.task}`, '', mainTable(result.rows, identityOf, motionOf)];
  if (result.self.length > 0) parts.push('', 'Self-reenactment (each person drives itself), on the 512 px aligned face crop:', '', selfTable(result.self));
  return parts.join('\n') + '\n';
}
