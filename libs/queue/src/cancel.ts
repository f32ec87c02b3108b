import type { Queue } from 'bullmq';
import { editJobId } from '@facex/contracts';

/**
 * Removes an edit's jobs that are not running: the render job with its children (BullMQ removes a waiting
 * parent's subtree). BullMQ leaves the tree when some job of it holds a lock (is running) and returns 0; that
 * stage then sees the canceled edit between steps and stops.
 */
export async function removeWaitingEditJobs(gpuQueue: Queue, editId: string): Promise<boolean> {
  return (await gpuQueue.remove(editJobId(editId, 'render'), { removeChildren: true })) === 1;
}
