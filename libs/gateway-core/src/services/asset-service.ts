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
import { urlPolicyOf, type GatewayConfig } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { ImageSize, TenantAssetRepository } from '../repositories/tenant-asset-repository';

export interface AssetView {
  id: string;
  size: number;
  contentType: string;
  width: number;
  height: number;
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
    // Content-addressed: the same bytes are stored once, whoever uploads them.
    if (!(await this.blobs.head(key))) await this.blobs.put(key, bytes, { contentType });
    await this.owners.own(tenant, decoded.sha256, decoded.image);
    return { id: decoded.sha256, size: bytes.byteLength, contentType, width: decoded.image.width, height: decoded.image.height };
  }

  /** Fetches a public URL (SSRF-guarded, size- and time-limited) and stores it like an upload. */
  async storeFromUrl(tenant: string, url: string): Promise<AssetView> {
    const fetched = await fetchPublic(url, {
      maxBytes: this.limits.maxAssetBytes,
      timeoutMs: this.limits.urlFetchTimeoutMs,
      maxRedirects: 3,
      accept: 'image/jpeg, image/png, image/webp, image/*;q=0.8',
      policy: urlPolicyOf(this.limits, 'url'),
    });
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

  async delete(tenant: string, sha256: string): Promise<void> {
    const remaining = SHA256.test(sha256) ? await this.owners.disown(tenant, sha256) : null;
    if (remaining === null) throw new ProblemError('not_found', `no asset ${sha256}`);
    if (remaining === 0) await this.edits.deleteAsset(sha256);
  }
}
