/**
 * The representation cache, keyed by (asset sha256, face, model-pack version). The small vectors (identity,
 * expression, lighting, pose, gaze, box) sit in a Redis hash for fast lookups and similarity queries; the
 * whole representation (with landmarks and masks) is a safetensors blob in the blob store, and beside it the
 * face's 512 px aligned crop as a PNG (what the assemble stage works from, instead of decoding the image).
 */
import type { Redis } from 'ioredis';
import { decodeRepresentation, encodeRepresentation, representationKey, type FaceList, type FaceRepresentation } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import { alignedCropKey, representationBlobKey, type BlobStore } from '@facex/storage';
import { decodeRgbPng } from '../png';
import type { AssetIndex } from './asset-index';

/** How long a process trusts the FORD pack version the extractors last published. */
const PACK_VERSION_CACHE_MS = 10_000;

const f32Base64 = (values: Float32Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

export class RepresentationRepository {
  private published: { version: string | null; readAt: number } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly blobs: BlobStore,
    private readonly assets: AssetIndex,
  ) {}

  private cacheKey(sha256: string, faceIndex: number, packVersion: string): string {
    return this.keyPrefix + representationKey(sha256, faceIndex, packVersion);
  }

  private get packVersionKey(): string {
    return `${this.keyPrefix}ford:pack-version`;
  }

  /** Extractors announce the FORD pack they serve, so submitters can tell which representations are cached. */
  async publishPackVersion(version: string): Promise<void> {
    await this.redis.set(this.packVersionKey, version);
  }

  private async publishedPackVersion(): Promise<string | null> {
    const now = Date.now();
    if (!this.published || now - this.published.readAt > PACK_VERSION_CACHE_MS) {
      this.published = { version: await this.redis.get(this.packVersionKey), readAt: now };
    }
    return this.published.version;
  }

  /**
   * The indexes of the inputs whose representation the cache holds for the published pack version: one
   * EXISTS over all of them, and one per input only when some but not all are cached. A hint, not a promise:
   * whoever uses a representation still finds it (`find`) and extracts when it has gone.
   */
  async cachedInputs(inputs: ReadonlyArray<{ assetId: string; faceIndex: number }>): Promise<number[]> {
    const version = await this.publishedPackVersion();
    if (version === null || inputs.length === 0) return [];
    const keys = inputs.map((input) => this.cacheKey(input.assetId, input.faceIndex, version));
    const found = await this.redis.exists(...keys);
    if (found === 0) return [];
    // EXISTS counts a key named twice twice: all cached exactly when the count is the number of inputs.
    if (found === keys.length) return keys.map((_, index) => index);
    const each = await Promise.all(keys.map((key) => this.redis.exists(key)));
    return each.flatMap((exists, index) => (exists === 1 ? [index] : []));
  }

  /**
   * The blob key of a cached representation, or null: also when its blob or its aligned crop has gone, or it
   * was cached without a crop (then extraction runs again and stores both).
   */
  async find(sha256: string, faceIndex: number, packVersion: string): Promise<string | null> {
    const [blobKey, cropKey] = await this.redis.hmget(this.cacheKey(sha256, faceIndex, packVersion), 'blobKey', 'cropKey');
    if (blobKey === null || cropKey === null) return null;
    const [blob, crop] = await Promise.all([this.blobs.head(blobKey), this.blobs.head(cropKey)]);
    return blob && crop ? blobKey : null;
  }

  /**
   * Stores the representation and its aligned crop (PNG bytes); blobs first, then the hash that makes them
   * findable. Returns the representation's blob key.
   */
  async save(rep: FaceRepresentation, alignedCropPng: Uint8Array, ttlMs?: number): Promise<string> {
    const { sha256 } = rep.asset;
    const blobKey = representationBlobKey(rep.modelPack.version, sha256, rep.faceIndex);
    const cropKey = alignedCropKey(rep.modelPack.version, sha256, rep.faceIndex);
    const expiry = ttlMs === undefined ? {} : { expiresAt: new Date(Date.now() + ttlMs) };
    await Promise.all([
      this.blobs.put(blobKey, encodeRepresentation(rep), { contentType: 'application/vnd.facex.representation+safetensors', ...expiry }),
      this.blobs.put(cropKey, alignedCropPng, { contentType: 'image/png', ...expiry }),
    ]);
    const cacheKey = this.cacheKey(sha256, rep.faceIndex, rep.modelPack.version);
    await this.assets.addRepresentation(sha256, cacheKey);
    await this.redis.hset(cacheKey, {
      blobKey,
      cropKey,
      identity: f32Base64(rep.identity),
      expression: f32Base64(rep.motion.expression),
      lighting: f32Base64(rep.environment.lighting),
      pose: JSON.stringify(rep.motion.pose),
      gaze: JSON.stringify(rep.motion.gaze),
      box: JSON.stringify(rep.detection.box),
      faceCount: String(rep.faceCount),
    });
    if (ttlMs !== undefined) await this.redis.pexpire(cacheKey, ttlMs);
    return blobKey;
  }

  async load(blobKey: string): Promise<FaceRepresentation> {
    return decodeRepresentation(await this.blobs.get(blobKey));
  }

  /** The 512 px aligned crop stored with a representation (BlobNotFoundError when it has gone). */
  async loadAlignedCrop(rep: FaceRepresentation, field: string): Promise<RgbImage> {
    const bytes = await this.blobs.get(alignedCropKey(rep.modelPack.version, rep.asset.sha256, rep.faceIndex));
    return decodeRgbPng(bytes, `${field}.alignedCrop`);
  }

  /** Faces the analysis found in the asset (any cached representation says it); null before any analysis. */
  async faceCount(sha256: string): Promise<number | null> {
    for (const cacheKey of await this.assets.representations(sha256)) {
      const count = await this.redis.hget(cacheKey, 'faceCount');
      if (count !== null) return Number(count);
    }
    return null;
  }

  private faceListKey(sha256: string, packVersion: string): string {
    return `${this.keyPrefix}faces:v1:${packVersion}:${sha256}`;
  }

  /** Stores the list of every face of an asset (deleted with the asset's representations). Returns its key. */
  async saveFaceList(list: FaceList): Promise<string> {
    const key = this.faceListKey(list.assetSha256, list.packVersion);
    await this.assets.addRepresentation(list.assetSha256, key);
    await this.redis.hset(key, { list: JSON.stringify(list) });
    return key;
  }

  /** The cached face list of an asset under a pack; null when it was never made or has been deleted. */
  async findFaceList(sha256: string, packVersion: string): Promise<FaceList | null> {
    return this.loadFaceList(this.faceListKey(sha256, packVersion));
  }

  /** A face list by the key the `faces` job returned; null when it has gone. */
  async loadFaceList(key: string): Promise<FaceList | null> {
    const stored = await this.redis.hget(key, 'list');
    return stored === null ? null : (JSON.parse(stored) as FaceList);
  }

  /** Removes every cached representation of an asset, hashes and blobs (aligned crops included), and its face list. */
  async deleteForAsset(sha256: string): Promise<number> {
    const cacheKeys = await this.assets.representations(sha256);
    for (const cacheKey of cacheKeys) {
      const [blobKey, cropKey] = await this.redis.hmget(cacheKey, 'blobKey', 'cropKey');
      await Promise.all([blobKey, cropKey].flatMap((key) => (key ? [this.blobs.delete(key)] : [])));
      await this.redis.del(cacheKey);
    }
    return cacheKeys.length;
  }
}
