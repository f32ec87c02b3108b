/**
 * EditFlows on BullMQ: one flow per edit (see @facex/queue createEditFlow and createVideoFlow). Removing an edit's waiting jobs
 * covers both kinds of flow (a photo edit's render tree, a video edit's mux and chunks): an id that is not
 * there costs one lookup.
 */
import type { FlowProducer, Queue } from 'bullmq';
import { DEFAULT_CHUNK_SECONDS } from '@facex/contracts';
import { createEditFlow, createVideoFlow, removeWaitingEditJobs, removeWaitingVideoJobs, type EditFlowOptions } from '@facex/queue';
import type { EditFlows } from './edit-service';

export function bullmqEditFlows(
  flowProducer: FlowProducer,
  queues: { gpu: Queue; video: Queue },
  options: EditFlowOptions = {},
  videoChunkSeconds = DEFAULT_CHUNK_SECONDS,
): EditFlows {
  return {
    add: async (edit, cachedInputs) => {
      await createEditFlow(flowProducer, edit, options, cachedInputs);
    },
    addVideo: async (edit, probe) => {
      await createVideoFlow(flowProducer, edit, probe, videoChunkSeconds, options);
    },
    removeWaiting: async (editId) => {
      const removed = await Promise.all([removeWaitingEditJobs(queues.gpu, editId), removeWaitingVideoJobs(queues.video, editId)]);
      return removed.some(Boolean);
    },
  };
}
