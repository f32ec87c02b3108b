/**
 * Edit operations the gateway (or the embedded mode) calls: submit, read (tenant-scoped), cancel, and the
 * deletion of an asset with everything derived from it.
 */
import { editAssets, type EditRecord } from '@facex/contracts';
import { assetKey, conditionsPrefix, resultKey, type BlobStore } from '@facex/storage';
import type { EditLifecycle } from './edit-lifecycle';
import type { AssetIndex } from './repositories/asset-index';
import type { EditRepository } from './repositories/edit-repository';
import type { RepresentationRepository } from './repositories/representation-repository';

/** How edits reach the workers (BullMQ flows when distributed). */
export interface EditFlows {
  /** Idempotent: the same edit added twice runs once. `cachedInputs`: input indexes that need no extraction. */
  add(edit: EditRecord, cachedInputs: readonly number[]): Promise<void>;
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
   * Stores the record (queued) and starts its flow; a record already stored under that id is returned as is.
   * The caller has checked that the assets exist and are the tenant's (the gateway, in Redis: no blob store
   * round trip per input); an asset deleted meanwhile fails the edit at extraction.
   */
  async submit(record: EditRecord): Promise<EditRecord> {
    const { edits, assets, flows, representations } = this.deps;
    if (!(await edits.create(record))) return (await edits.get(record.id)) ?? record;
    // The edit is deleted with any asset it reads.
    await Promise.all(editAssets(record).map(({ assetId }) => assets.addEdit(assetId, record.id)));
    await flows.add(record, await representations.cachedInputs(record.inputs));
    return record;
  }

  /** The edit if it belongs to `tenant`; another tenant's edit reads as absent. */
  async get(editId: string, tenant: string): Promise<EditRecord | null> {
    const edit = await this.deps.edits.get(editId);
    return edit && edit.tenant === tenant ? edit : null;
  }

  /** Cancels a queued or running edit; null when it is not this tenant's or has already ended. */
  async cancel(editId: string, tenant: string): Promise<EditRecord | null> {
    if (!(await this.get(editId, tenant))) return null;
    const canceled = await this.deps.lifecycle.cancel(editId);
    if (canceled) await this.deps.flows.removeWaiting(editId);
    return canceled;
  }

  /**
   * Deletes an asset and everything derived from it: its cached representations (Redis and blobs), and the
   * edits that used it (their conditions, results and records). Faces are biometric data.
   */
  async deleteAsset(sha256: string): Promise<{ representations: number; edits: number }> {
    const { blobs, edits, assets, representations } = this.deps;
    const editIds = await assets.edits(sha256);
    for (const editId of editIds) {
      await this.deps.lifecycle.cancel(editId);
      await this.deps.flows.removeWaiting(editId);
      await blobs.delete(resultKey(editId, 'png'));
      await blobs.deletePrefix(conditionsPrefix(editId));
      await edits.delete(editId);
    }
    const removed = await representations.deleteForAsset(sha256);
    await blobs.delete(assetKey(sha256));
    await assets.forget(sha256);
    return { representations: removed, edits: editIds.length };
  }
}
