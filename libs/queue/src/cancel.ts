import type { Queue } from 'bullmq';
import { editJobId } from '@facex/contracts';

/**
 * Removes an edit's jobs that are not running: the render job with its children (BullMQ removes a waiting
 * parent's subtree). A job that holds a lock stays; its stage sees the canceled edit between steps and stops.
 */
export async function removeWaitingEditJobs(gpuQueue: Queue, editId: string): Promise<boolean> {
  try {
    return (await gpuQueue.remove(editJobId(editId, 'render'), { removeChildren: true })) === 1;
  } catch {
    // BullMQ refuses while some job of the tree is locked (running); cancellation then happens in the stage.
    return false;
  }
}
