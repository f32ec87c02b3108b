/** The evaluation's markdown tables, in the paper's layout (↑ higher is better, ↓ lower is better). */
import type { EvaluationResult, MethodSummary, SelfSummary } from './harness';

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : value > 0 ? '∞' : '–');

function motionTable(rows: readonly MethodSummary[], motionReference: string): string {
  const head = `| method | pairs | face found | identity sim. to source ↑ | expression err. to ${motionReference} ↓ | pose err. (°) ↓ | gaze err. (°) ↓ | flagged degraded |`;
  const lines = rows.map((r) =>
    `| ${r.method} | ${r.pairs} | ${r.found} | ${fixed(r.identity, 3)} | ${fixed(r.expression, 3)} | ${fixed(r.pose, 2)} | ${fixed(r.gaze, 2)} | ${r.degraded} |`);
  return [head, '|---|---:|---:|---:|---:|---:|---:|---:|', ...lines].join('\n');
}

function selfTable(rows: readonly SelfSummary[]): string {
  const lines = rows.map((r) => `| ${r.method} | ${r.people} | ${fixed(r.ssim, 4)} | ${fixed(r.psnr, 2)} | ${fixed(r.rmse, 2)} |`);
  return ['| method | people | SSIM ↑ | PSNR (dB) ↑ | RMSE ↓ |', '|---|---:|---:|---:|---:|', ...lines].join('\n');
}

export function evaluationMarkdown(result: EvaluationResult): string {
  const reference = result.task === 'reenact' ? 'driving' : 'target';
  const parts = [`### ${result.task}`, '', motionTable(result.rows, reference)];
  if (result.self.length > 0) parts.push('', 'Self-reenactment (each person drives itself), on the 512 px aligned face crop:', '', selfTable(result.self));
  return parts.join('\n') + '\n';
}
