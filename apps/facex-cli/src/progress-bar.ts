/** The edit's progress on stderr: a redrawn bar on a terminal, one line per change otherwise (logs, CI). */
import type { EditRecord } from '@facex/contracts';

/** The share of the whole edit each stage spans. */
export type StageShares = Record<'extract' | 'assemble' | 'render', readonly [number, number]>;

export const PHOTO_EDIT_SHARES: StageShares = { extract: [0, 0.4], assemble: [0.4, 0.5], render: [0.5, 1] };
/** A video edit reports only its rendered frames (each chunk analyses and renders its own). */
export const VIDEO_EDIT_SHARES: StageShares = { extract: [0, 0], assemble: [0, 0], render: [0, 1] };

/** Overall fraction done, from the stage and its step. */
export function progressFraction(edit: Pick<EditRecord, 'status' | 'progress'>, shares = PHOTO_EDIT_SHARES): number {
  if (edit.status === 'completed') return 1;
  if (!edit.progress) return 0;
  const [from, to] = shares[edit.progress.stage];
  const within = edit.progress.steps > 0 ? edit.progress.step / edit.progress.steps : 0;
  return from + (to - from) * within;
}

export function progressLine(edit: Pick<EditRecord, 'status' | 'progress'>, width = 30, shares = PHOTO_EDIT_SHARES): string {
  const fraction = progressFraction(edit, shares);
  const filled = Math.round(fraction * width);
  const stage = edit.progress ? ` ${edit.progress.stage} ${edit.progress.step}/${edit.progress.steps}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${edit.status}${stage}`;
}

export class ProgressReporter {
  private last = '';

  constructor(
    private readonly shares = PHOTO_EDIT_SHARES,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(edit: Pick<EditRecord, 'status' | 'progress'>): void {
    const line = progressLine(edit, 30, this.shares);
    if (line === this.last) return;
    this.last = line;
    if (this.stream.isTTY) this.stream.write(`\r${line}`);
    else this.stream.write(`${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\n');
  }
}
