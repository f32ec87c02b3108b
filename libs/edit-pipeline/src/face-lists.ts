/**
 * The face lists of assets on BullMQ: a cached list is read from the representation cache; a missing one is
 * made by the `faces` job on the cpu tier (one job per asset: concurrent requests wait on the same job).
 */
import type { Queue, QueueEvents } from 'bullmq';
import { FacexError, facesJobId, type FaceList } from '@facex/contracts';
import { jobOptions } from '@facex/queue';
import { alignedCropKey, assetKey, type BlobStore } from '@facex/storage';
import type { RepresentationRepository } from './repositories/representation-repository';

export interface FaceLists {
  /** Every face of a stored asset (analysed on first request). */
  get(assetSha256: string): Promise<FaceList>;
  /** A listed face's 512 px aligned crop as PNG bytes. */
  thumbnail(list: FaceList, index: number): Promise<Uint8Array>;
}

export interface FaceListsOptions {
  /** How long a request waits for the analysis before answering 503. */
  timeoutMs?: number;
}

export const DEFAULT_FACE_LIST_TIMEOUT_MS = 60_000;

/**
 * `openEvents` is called on the first request that needs a job (QueueEvents holds a blocking connection of
 * its own: a gateway that never lists faces, or whose Redis is down, opens none); `close` closes it.
 */
export function bullmqFaceLists(
  cpuQueue: Queue,
  openEvents: () => QueueEvents,
  representations: RepresentationRepository,
  blobs: BlobStore,
  options: FaceListsOptions = {},
): FaceLists & { close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FACE_LIST_TIMEOUT_MS;
  let events: QueueEvents | undefined;
  const run = async (assetSha256: string): Promise<FaceList | null> => {
    const jobId = facesJobId(assetSha256);
    const job = await cpuQueue.add('faces', { assetKey: assetKey(assetSha256), assetSha256 }, { ...jobOptions('faces'), jobId });
    events ??= openEvents();
    try {
      const { facesKey } = (await job.waitUntilFinished(events, timeoutMs)) as { facesKey: string };
      return await representations.loadFaceList(facesKey);
    } catch (error) {
      // A failed job keeps its id: remove it so the next request analyses again instead of reading the failure.
      await cpuQueue.remove(jobId).catch(() => 0);
      throw new FacexError(
        'unavailable',
        `faces: the analysis of asset ${assetSha256} did not finish: ${error instanceof Error ? error.message : String(error)}`,
        { field: 'assetId' },
      );
    }
  };
  return {
    async get(assetSha256) {
      const list = await run(assetSha256);
      if (list) return list;
      // A completed job is kept a while: its list may have been deleted with the asset since, so run it anew.
      await cpuQueue.remove(facesJobId(assetSha256));
      const again = await run(assetSha256);
      if (!again) throw new FacexError('unavailable', `faces: the face list of asset ${assetSha256} has gone`, { field: 'assetId' });
      return again;
    },
    thumbnail: (list, index) => blobs.get(alignedCropKey(list.packVersion, list.assetSha256, index)),
    close: async () => {
      await events?.close();
    },
  };
}
