/**
 * Edit status transitions with their events. Each terminal transition is atomic in the repository, so its
 * event is emitted exactly once even when workers race (a failing child and a cancel, two stalled retries).
 */
import { editErrorOf, type EditProgress, type EditRecord, type EditResult } from '@facex/contracts';
import type { EditRepository } from './repositories/edit-repository';
import { NO_METRICS, type EditEvents, type PipelineMetrics } from './ports';

/** The edit is no longer active (canceled or failed elsewhere): stop this job, do not retry. */
export class EditNotActiveError extends Error {
  readonly retryable = false;
  constructor(
    readonly editId: string,
    readonly status: string,
  ) {
    super(`edit ${editId} is ${status}`);
    this.name = 'EditNotActiveError';
  }
}

export class EditLifecycle {
  constructor(
    private readonly edits: EditRepository,
    private readonly events: EditEvents,
    private readonly metrics: PipelineMetrics = NO_METRICS,
  ) {}

  /** queued → running (or still running); throws EditNotActiveError when the edit has ended. */
  async begin(editId: string, progress: EditProgress): Promise<void> {
    if (await this.edits.transition(editId, 'running', { progress })) return;
    const edit = await this.edits.get(editId);
    throw new EditNotActiveError(editId, edit?.status ?? 'gone');
  }

  /** Records progress; throws EditNotActiveError once the edit has ended, which stops a render between steps. */
  progress(editId: string, progress: EditProgress): Promise<void> {
    return this.begin(editId, progress);
  }

  async complete(editId: string, result: EditResult): Promise<EditRecord | null> {
    const edit = await this.edits.transition(editId, 'completed', { result });
    if (edit) await this.announce(edit, 'completed');
    return edit;
  }

  async fail(editId: string, error: unknown): Promise<EditRecord | null> {
    const edit = await this.edits.transition(editId, 'failed', { error: editErrorOf(error) });
    if (edit) await this.announce(edit, 'failed');
    return edit;
  }

  async cancel(editId: string): Promise<EditRecord | null> {
    const edit = await this.edits.transition(editId, 'canceled');
    if (edit) await this.announce(edit, 'canceled');
    return edit;
  }

  private async announce(edit: EditRecord, status: 'completed' | 'failed' | 'canceled'): Promise<void> {
    this.metrics.editFinished(status);
    await this.events.emit(edit, `edit.${status}`);
  }
}
