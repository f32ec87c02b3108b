/** What the scheduler needs to know about one active job that is ready for its next U-Net evaluation. */
export interface BatchCandidate {
  readonly id: number;
  /** Jobs share a call only when their keys match: same latent height×width and context tokens×dim. */
  readonly groupKey: string;
  /** U-Net samples the job's next evaluation needs: 2 with guidance (cond + uncond halves), else 1. */
  readonly samples: number;
  /** Sequence number of the last call that evaluated this job; −1 before its first. */
  readonly lastServed: number;
  /** Admission order; breaks ties oldest first. */
  readonly admitted: number;
}

export interface BatchSelection {
  readonly groupKey: string;
  /** Chosen jobs, in the order their samples go into the call. */
  readonly ids: readonly number[];
  readonly samples: number;
  /** A ready job was left out (cap reached or another group): there is queued work, so waiting gains nothing. */
  readonly backlog: boolean;
}

/**
 * Picks the jobs for the next predictor call. Jobs are served least-recently-evaluated first (then oldest),
 * so a job that just joined is evaluated in the very next call and no job starves when more are active
 * than one call holds. The first job in that order fixes the shape group; the call is then filled, in the
 * same order, with jobs of that group whose samples still fit under `maxBatch`. A job's cond and uncond
 * halves are never split across calls.
 */
export function selectNextBatch(candidates: readonly BatchCandidate[], maxBatch: number): BatchSelection | undefined {
  if (candidates.length === 0) return undefined;
  const ordered = [...candidates].sort((a, b) => a.lastServed - b.lastServed || a.admitted - b.admitted);
  const groupKey = ordered[0].groupKey;
  const ids: number[] = [];
  let samples = 0;
  for (const candidate of ordered) {
    if (candidate.groupKey !== groupKey || samples + candidate.samples > maxBatch) continue;
    ids.push(candidate.id);
    samples += candidate.samples;
  }
  return { groupKey, ids, samples, backlog: ids.length < candidates.length };
}

/**
 * Whether to hold a call back for jobs that may still arrive: only when it has room and nothing else is
 * queued. The caller bounds the hold by its wait limit.
 */
export function worthWaitingForMore(selection: BatchSelection, maxBatch: number): boolean {
  return selection.samples < maxBatch && !selection.backlog;
}
