/** EditFlows on BullMQ: one flow per edit (see @facex/queue createEditFlow). */
import type { FlowProducer, Queue } from 'bullmq';
import { createEditFlow, removeWaitingEditJobs, type EditFlowOptions } from '@facex/queue';
import type { EditFlows } from './edit-service';

export function bullmqEditFlows(flowProducer: FlowProducer, gpuQueue: Queue, options: EditFlowOptions = {}): EditFlows {
  return {
    add: async (edit, cachedInputs) => {
      await createEditFlow(flowProducer, edit, options, cachedInputs);
    },
    removeWaiting: (editId) => removeWaitingEditJobs(gpuQueue, editId),
  };
}
