/**
 * One BullMQ flow per video edit: `video-mux` ← `video-chunk` × chunks, the mux on the `video` queue, the chunks
 * where their generator is (videoChunkTier: the warp's on `video`, the diffusion generator's on `gpu`). Every chunk
 * fails the mux when it fails for good (no mux waits forever), job ids derive from the edit id and the chunk
 * index (adding the same edit twice adds nothing), and a chunk stores its frames under its own key, so a retry
 * after a crash repeats that chunk only.
 */
import type { FlowJob, FlowProducer, JobNode, Queue } from 'bullmq';
import { editJobId, planChunks, QUEUE_OF_JOB, videoChunkTier, videoInputOf, type EditRecord, type VideoProbe } from '@facex/contracts';
import { assetKey, videoChunkKey, videoResultKey } from '@facex/storage';
import { jobOptions, QUEUE_NAMES } from './queues';
import type { EditFlowOptions } from './flow';

/**
 * The flow tree of a video edit (pure: no Redis): a face swap or head swap onto a video, or a reenact or animate
 * driven by one. The chunks of both cut the video's frames; the recipe tells the chunk which role they play.
 */
export function videoFlowTree(edit: EditRecord, probe: VideoProbe, chunkSeconds: number, options: EditFlowOptions = {}): FlowJob {
  const { task } = edit.recipe;
  const inputs = videoInputOf(task);
  if (inputs === null) throw new Error(`${task.preset} takes no video`);
  const video = edit.inputs[inputs.input];
  const photo = edit.inputs[inputs.photo];
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const { generator, seed, steps, guidance, resolution } = edit.options;
  const chunks = planChunks(probe.frameCount, probe.fps, chunkSeconds);
  const chunkKeys = chunks.map((chunk) => videoChunkKey(edit.id, chunk.index));
  const children: FlowJob[] = chunks.map((chunk, i) => ({
    name: 'video-chunk',
    queueName: QUEUE_NAMES[videoChunkTier(generator)],
    ...prefix,
    data: {
      editId: edit.id,
      recipe: edit.recipe,
      photoAssetKey: assetKey(photo.assetId),
      photoFaceIndex: photo.faceIndex,
      videoAssetKey: assetKey(video.assetId),
      videoFaceIndex: video.faceIndex,
      options: { generator, ...(seed === undefined ? {} : { seed }), steps, guidance, resolution },
      probe,
      chunk,
      chunkSeconds,
      chunkKey: chunkKeys[i],
    },
    opts: { ...jobOptions('video-chunk', options.retry), jobId: editJobId(edit.id, 'video-chunk', chunk.index), failParentOnFailure: true },
  }));
  return {
    name: 'video-mux',
    queueName: QUEUE_NAMES[QUEUE_OF_JOB['video-mux']],
    ...prefix,
    data: { editId: edit.id, videoAssetKey: assetKey(video.assetId), probe, chunkKeys, resultKey: videoResultKey(edit.id) },
    opts: { ...jobOptions('video-mux', options.retry), jobId: editJobId(edit.id, 'video-mux') },
    children,
  };
}

export function createVideoFlow(
  flowProducer: FlowProducer,
  edit: EditRecord,
  probe: VideoProbe,
  chunkSeconds: number,
  options: EditFlowOptions = {},
): Promise<JobNode> {
  return flowProducer.add(videoFlowTree(edit, probe, chunkSeconds, options));
}

/**
 * Removes a canceled video edit's jobs that are not running (the mux with its waiting chunks). A running chunk
 * is not removed by BullMQ: it sees the canceled edit at its next batch of frames and stops.
 */
export async function removeWaitingVideoJobs(videoQueue: Queue, editId: string): Promise<boolean> {
  return (await videoQueue.remove(editJobId(editId, 'video-mux'), { removeChildren: true })) === 1;
}
