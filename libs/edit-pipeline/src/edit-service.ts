/**
 * Edit operations the gateway (or the embedded mode) calls: submit, read (tenant-scoped), cancel, and the
 * deletion of an asset with everything derived from it.
 */
import { editAssets, type EditRecord, type EditStatus, type VideoProbe } from '@facex/contracts';
import { assetKey, conditionsPrefix, resultKeys, videoChunksPrefix, type BlobStore } from '@facex/storage';
import type { EditLifecycle } from './edit-lifecycle';
import type { AssetIndex } from './repositories/asset-index';
import type { EditRepository } from './repositories/edit-repository';
import type { Page, PageQuery } from './repositories/listing';
import type { RepresentationRepository } from './repositories/representation-repository';

/** How edits reach the workers (BullMQ flows when distributed). */
export interface EditFlows {
  /** Idempotent: the same edit added twice runs once. `cachedInputs`: input indexes that need no extraction. */
  add(edit: EditRecord, cachedInputs: readonly number[]): Promise<void>;
  /** The flow of a video edit (chunks and mux), cut from the video's probe; idempotent like `add`. */
  addVideo(edit: EditRecord, probe: VideoProbe): Promise<void>;
  /** Removes the edit's jobs that are not running; false when some still run. */
  removeWaiting(editId: string): Promise<boolean>;
}

export interface EditServiceDeps {
  blobs: BlobStore;
  edits: EditRepository;
  assets: AssetIndex;
  representations: RepresentationRepository;
  lifecycle: EditLifecycle;
  flows: EditFlows;
}

export class EditService {
  constructor(private readonly deps: EditServiceDeps) {}

  /**
   * Stores the record (queued) and starts its flow: a video edit's (`video`: the probe of its video input) or a
   * photo edit's; a record already stored under that id is returned as is. The caller has checked that the
   * assets exist and are the tenant's (the gateway, in Redis: no blob store round trip per input); an asset
   * deleted meanwhile fails the edit at extraction.
   */
  async submit(record: EditRecord, video?: VideoProbe): Promise<EditRecord> {
    const { edits, assets, flows, representations } = this.deps;
    if (!(await edits.create(record))) return (await edits.get(record.id)) ?? record;
    // The edit is deleted with any asset it reads.
    await Promise.all(editAssets(record).map(({ assetId }) => assets.addEdit(assetId, record.id)));
    if (video) await flows.addVideo(record, video);
    else await flows.add(record, await representations.cachedInputs(record.inputs));
    return record;
  }

  /** The edit if it belongs to `tenant`; another tenant's edit reads as absent. */
  async get(editId: string, tenant: string): Promise<EditRecord | null> {
    const edit = await this.deps.edits.get(editId);
    return edit && edit.tenant === tenant ? edit : null;
  }

  /**
   * Cancels a queued or running edit; null when it is not this tenant's or has already ended. A video edit's
   * stored chunks go with it: nothing will join them.
   */
  async cancel(editId: string, tenant: string): Promise<EditRecord | null> {
    if (!(await this.get(editId, tenant))) return null;
    const canceled = await this.deps.lifecycle.cancel(editId);
    if (canceled) {
      await this.deps.flows.removeWaiting(editId);
      await this.deps.blobs.deletePrefix(videoChunksPrefix(editId));
    }
    return canceled;
  }

  /** Faces found in an asset by an earlier analysis; null when none has run (or its cache has expired). */
  faceCount(sha256: string): Promise<number | null> {
    return this.deps.representations.faceCount(sha256);
  }

  /** The tenant's edits, newest first; null for a cursor this code did not write. */
  list(tenant: string, query: PageQuery & { statuses?: readonly EditStatus[] }): Promise<Page<EditRecord> | null> {
    return this.deps.edits.list(tenant, query);
  }

  /**
   * Deletes one edit and what it produced: stops it if still live, removes its queued jobs, its conditions,
   * its result and its record.
   */
  async deleteEdit(edit: EditRecord): Promise<void> {
    const { blobs, edits, lifecycle, flows } = this.deps;
    await lifecycle.cancel(edit.id);
    await flows.removeWaiting(edit.id);
    await Promise.all([
      ...resultKeys(edit.id).map((key) => blobs.delete(key)),
      blobs.deletePrefix(conditionsPrefix(edit.id)),
      blobs.deletePrefix(videoChunksPrefix(edit.id)),
    ]);
    await edits.delete(edit.id);
  }

  /**
   * A tenant gave up an asset: its edits that used the asset go at once (conditions, results, records),
   * whoever else holds the same bytes. When no owner is left (`lastOwner`), the asset goes too, with every
   * cached representation (Redis and blobs, aligned face crops included): faces are biometric data.
   * `stillOwned` is asked again just before the blob is deleted, so an owner who arrived meanwhile keeps it.
   */
  async deleteAssetFor(
    tenant: string,
    sha256: string,
    lastOwner: boolean,
    stillOwned: () => Promise<boolean>,
  ): Promise<{ representations: number; edits: number }> {
    const { blobs, edits, assets, representations } = this.deps;
    let deleted = 0;
    for (const editId of await assets.edits(sha256)) {
      const edit = await edits.get(editId);
      if (edit && edit.tenant !== tenant && !lastOwner) continue;
      if (edit) await this.deleteEdit(edit);
      await assets.removeEdit(sha256, editId);
      deleted += edit ? 1 : 0;
    }
    if (!lastOwner || (await stillOwned())) return { representations: 0, edits: deleted };
    const removed = await representations.deleteForAsset(sha256);
    await blobs.delete(assetKey(sha256));
    await assets.forget(sha256);
    return { representations: removed, edits: deleted };
  }
}
