/**
 * EditFlows on BullMQ: one flow per edit (see @facex/queue createEditFlow). Removing an edit's waiting jobs
 * covers both kinds of flow (a photo edit's render tree, a video edit's mux and chunks): an id that is not
 * there costs one lookup.
 */
import type { FlowProducer, Queue } from 'bullmq';
import { createEditFlow, removeWaitingEditJobs, removeWaitingVideoJobs, type EditFlowOptions } from '@facex/queue';
import type { EditFlows } from './edit-service';

export function bullmqEditFlows(flowProducer: FlowProducer, queues: { gpu: Queue; video: Queue }, options: EditFlowOptions = {}): EditFlows {
  return {
    add: async (edit, cachedInputs) => {
      await createEditFlow(flowProducer, edit, options, cachedInputs);
    },
    removeWaiting: async (editId) => {
      const removed = await Promise.all([removeWaitingEditJobs(queues.gpu, editId), removeWaitingVideoJobs(queues.video, editId)]);
      return removed.some(Boolean);
    },
  };
}
