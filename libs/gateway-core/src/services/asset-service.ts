/**
 * Assets: images and videos a tenant uploads (or names by URL) to use as edit inputs. An image is checked by
 * decoding it (not an image 415, truncated 422, pixel bomb 413), a video by probing it (not an accepted video
 * 415, unreadable 422, over a limit 413), before it is stored under its sha256; the tenant gains visibility of it. A
 * video is probed and stored from its spooled file (upload-spool.ts), never held whole in memory. Deleting removes the tenant's claim, and the asset with everything derived from it once
 * no tenant holds it (faces are biometric data).
 */
import { decodeImage } from '@facex/analysis';
import { FacexError } from '@facex/contracts';
import type { EditService } from '@facex/edit-pipeline';
import { readFile } from 'node:fs/promises';
import { openPublic } from '@facex/net-guard';
import { assetKey, type BlobStore } from '@facex/storage';
import { maxUploadBytes, urlPolicyOf, withSettingHint, type GatewayConfig } from '../config/gateway-config';
import { inspectVideo } from '../media/inspect-video';
import { withSpooledBytes, withSpooledUpload, type SpooledUpload } from '../media/upload-spool';
import { looksLikeVideo, videoContentType } from '../media/video-container';
import { ProblemError } from '../problem/problem';
import type { ImageSize, OwnedAsset, TenantAssetRepository } from '../repositories/tenant-asset-repository';
import type { Page, PageQuery } from '@facex/edit-pipeline';

export type AssetView = OwnedAsset;

/** An asset with what is known of it once analysed. */
export interface AssetDetails extends AssetView {
  /** Faces found by the analysis; null until an edit has analysed the image. */
  faceCount: number | null;
}

export type AssetLimits = Pick<GatewayConfig, 'maxAssetBytes' | 'maxAssetPixels' | 'video' | 'uploadDir' | 'urlFetchTimeoutMs' | 'allowPrivateUrls'>;

const SHA256 = /^[0-9a-f]{64}$/;

export class AssetService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly owners: TenantAssetRepository,
    private readonly edits: EditService,
    private readonly limits: AssetLimits,
  ) {}

  /** An image or a video given as bytes (a file the CLI read); a video is spooled to disk to be probed. */
  async store(tenant: string, bytes: Uint8Array): Promise<AssetView> {
    if (looksLikeVideo(bytes)) return withSpooledBytes(this.limits.uploadDir, bytes, (upload) => this.storeVideo(tenant, upload));
    this.checkImageBytes(bytes.byteLength);
    return this.storeImage(tenant, bytes);
  }

  /** An upload (or a URL's body) spooled to disk as it arrived: a video is probed and stored from the file, an image read (it is small). */
  async storeUpload(tenant: string, upload: SpooledUpload): Promise<AssetView> {
    if (looksLikeVideo(upload.head)) return this.storeVideo(tenant, upload);
    this.checkImageBytes(upload.size);
    return this.storeImage(tenant, await readFile(upload.path));
  }

  /** The upload was read up to the larger of the two limits: an image has the smaller one of its own. */
  private checkImageBytes(size: number): void {
    if (size > this.limits.maxAssetBytes) {
      throw new FacexError('payload_too_large', `file: the image has ${size} bytes; the limit is ${this.limits.maxAssetBytes}`, { field: 'file' });
    }
  }

  private async storeImage(tenant: string, bytes: Uint8Array): Promise<AssetView> {
    const decoded = await decodeImage(bytes, { maxPixels: this.limits.maxAssetPixels });
    const { width, height } = decoded.image;
    const asset = { id: decoded.sha256, contentType: `image/${decoded.format}`, width, height, video: null };
    // Content-addressed: the same bytes are stored once, whoever uploads them. Written even when present, so
    // an owner's deletion racing this upload cannot leave the new owner without the blob.
    await this.blobs.put(assetKey(asset.id), bytes, { contentType: asset.contentType });
    return this.owners.own(tenant, { ...asset, size: bytes.byteLength });
  }

  private async storeVideo(tenant: string, upload: SpooledUpload): Promise<AssetView> {
    const { maxBytes, limits } = this.limits.video;
    if (upload.size > maxBytes) {
      throw new FacexError('video_too_large', `file: the video has ${upload.size} bytes; the limit is ${maxBytes}`, {
        field: 'file',
        limit: 'maxBytes',
        max: maxBytes,
        actual: upload.size,
      });
    }
    const probe = await inspectVideo(upload.path, limits);
    const asset = { id: upload.sha256, contentType: videoContentType(upload.head, probe), width: probe.width, height: probe.height, video: probe };
    // Streamed from the file, and written even when present (as an image is).
    await this.blobs.putFile(assetKey(asset.id), upload.path, { contentType: asset.contentType });
    return this.owners.own(tenant, { ...asset, size: upload.size });
  }

  /**
   * Fetches a public URL (SSRF-guarded, size- and time-limited) and stores it like an upload: the body is
   * spooled to disk as it arrives, so a video is never held whole in memory.
   */
  async storeFromUrl(tenant: string, url: string): Promise<AssetView> {
    const opened = await withSettingHint(
      openPublic(url, {
        maxBytes: maxUploadBytes(this.limits),
        timeoutMs: this.limits.urlFetchTimeoutMs,
        maxRedirects: 3,
        accept: 'image/jpeg, image/png, image/webp, video/mp4, video/webm, video/quicktime, image/*;q=0.8, video/*;q=0.8',
        policy: urlPolicyOf(this.limits, 'url'),
      }),
    );
    return withSpooledUpload(this.limits.uploadDir, opened.body, (upload) => this.storeUpload(tenant, upload));
  }

  /** Whether the tenant may use the asset (an unknown id and another tenant's asset look the same). */
  async visible(tenant: string, sha256: string): Promise<boolean> {
    return SHA256.test(sha256) && this.owners.owns(tenant, sha256);
  }

  /** The tenant's asset record (with a video's probe); null for an unknown id and another tenant's asset alike. */
  async find(tenant: string, sha256: string): Promise<AssetView | null> {
    return SHA256.test(sha256) ? this.owners.get(tenant, sha256) : null;
  }

  /** The image's size of a stored asset; null when it is not known (see TenantAssetRepository). */
  size(sha256: string): Promise<ImageSize | null> {
    return this.owners.size(sha256);
  }

  /** The tenant's asset with its face count once analysed; ProblemError('not_found') otherwise. */
  async get(tenant: string, sha256: string): Promise<AssetDetails> {
    const asset = await this.find(tenant, sha256);
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
