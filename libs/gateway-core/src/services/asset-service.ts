/**
 * Assets: images a tenant uploads (or names by URL) to use as edit inputs. Each is checked by decoding it
 * (not an image 415, truncated 422, pixel bomb 413) before it is stored under its sha256; the tenant gains
 * visibility of it. Deleting removes the tenant's claim, and the asset with everything derived from it once
 * no tenant holds it (faces are biometric data).
 */
import { decodeImage } from '@facex/analysis';
import type { EditService } from '@facex/edit-pipeline';
import { fetchPublic } from '@facex/net-guard';
import { assetKey, type BlobStore } from '@facex/storage';
import { urlPolicyOf, withSettingHint, type GatewayConfig } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { ImageSize, OwnedAsset, TenantAssetRepository } from '../repositories/tenant-asset-repository';
import type { Page, PageQuery } from '@facex/edit-pipeline';

export type AssetView = OwnedAsset;

/** An asset with what is known of it once analysed. */
export interface AssetDetails extends AssetView {
  /** Faces found by the analysis; null until an edit has analysed the image. */
  faceCount: number | null;
}

export type AssetLimits = Pick<GatewayConfig, 'maxAssetBytes' | 'maxAssetPixels' | 'urlFetchTimeoutMs' | 'allowPrivateUrls'>;

const SHA256 = /^[0-9a-f]{64}$/;

export class AssetService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly owners: TenantAssetRepository,
    private readonly edits: EditService,
    private readonly limits: AssetLimits,
  ) {}

  async store(tenant: string, bytes: Uint8Array): Promise<AssetView> {
    const decoded = await decodeImage(bytes, { maxPixels: this.limits.maxAssetPixels });
    const key = assetKey(decoded.sha256);
    const contentType = `image/${decoded.format}`;
    // Content-addressed: the same bytes are stored once, whoever uploads them. Written even when present, so
    // an owner's deletion racing this upload cannot leave the new owner without the blob.
    await this.blobs.put(key, bytes, { contentType });
    return this.owners.own(tenant, { id: decoded.sha256, size: bytes.byteLength, contentType, width: decoded.image.width, height: decoded.image.height });
  }

  /** Fetches a public URL (SSRF-guarded, size- and time-limited) and stores it like an upload. */
  async storeFromUrl(tenant: string, url: string): Promise<AssetView> {
    const fetched = await withSettingHint(
      fetchPublic(url, {
        maxBytes: this.limits.maxAssetBytes,
        timeoutMs: this.limits.urlFetchTimeoutMs,
        maxRedirects: 3,
        accept: 'image/jpeg, image/png, image/webp, image/*;q=0.8',
        policy: urlPolicyOf(this.limits, 'url'),
      }),
    );
    return this.store(tenant, fetched.body);
  }

  /** Whether the tenant may use the asset (an unknown id and another tenant's asset look the same). */
  async visible(tenant: string, sha256: string): Promise<boolean> {
    return SHA256.test(sha256) && this.owners.owns(tenant, sha256);
  }

  /** The image's size of a stored asset; null when it is not known (see TenantAssetRepository). */
  size(sha256: string): Promise<ImageSize | null> {
    return this.owners.size(sha256);
  }

  /** The tenant's asset with its face count once analysed; ProblemError('not_found') otherwise. */
  async get(tenant: string, sha256: string): Promise<AssetDetails> {
    const asset = SHA256.test(sha256) ? await this.owners.get(tenant, sha256) : null;
    if (!asset) throw new ProblemError('not_found', `no asset ${sha256}`);
    return { ...asset, faceCount: await this.edits.faceCount(sha256) };
  }

  /** The tenant's assets, newest first. */
  async list(tenant: string, query: PageQuery): Promise<Page<AssetView>> {
    const page = await this.owners.list(tenant, query);
    if (!page) throw new ProblemError('invalid_request', 'cursor: not a cursor this API returned', { field: 'cursor' });
    return page;
  }

  /**
   * Deletes the tenant's claim and, at once, the tenant's edits that used the asset with everything they
   * produced; the image and its representations go only with the last owner. The outcome is the same whoever
   * else holds the same bytes, so it tells the tenant nothing about other tenants.
   */
  async delete(tenant: string, sha256: string): Promise<void> {
    const remaining = SHA256.test(sha256) ? await this.owners.disown(tenant, sha256) : null;
    if (remaining === null) throw new ProblemError('not_found', `no asset ${sha256}`);
    await this.edits.deleteAssetFor(tenant, sha256, remaining === 0, async () => (await this.owners.owners(sha256)) > 0);
  }
}
