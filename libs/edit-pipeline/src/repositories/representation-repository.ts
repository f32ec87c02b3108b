/**
 * The representation cache, keyed by (asset sha256, face, model-pack version). The small vectors (identity,
 * expression, lighting, pose, gaze, box) sit in a Redis hash for fast lookups and similarity queries; the
 * whole representation (with landmarks and masks) is a safetensors blob in the blob store.
 */
import type { Redis } from 'ioredis';
import { decodeRepresentation, encodeRepresentation, representationKey, type FaceRepresentation } from '@facex/contracts';
import { representationBlobKey, type BlobStore } from '@facex/storage';
import type { AssetIndex } from './asset-index';

const f32Base64 = (values: Float32Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

export class RepresentationRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly blobs: BlobStore,
    private readonly assets: AssetIndex,
  ) {}

  private cacheKey(sha256: string, faceIndex: number, packVersion: string): string {
    return this.keyPrefix + representationKey(sha256, faceIndex, packVersion);
  }

  /** The blob key of a cached representation, or null (also when its blob has gone). */
  async find(sha256: string, faceIndex: number, packVersion: string): Promise<string | null> {
    const blobKey = await this.redis.hget(this.cacheKey(sha256, faceIndex, packVersion), 'blobKey');
    if (blobKey === null) return null;
    return (await this.blobs.head(blobKey)) ? blobKey : null;
  }

  /** Stores the representation (blob first, then the hash that makes it findable); returns its blob key. */
  async save(rep: FaceRepresentation): Promise<string> {
    const { sha256 } = rep.asset;
    const blobKey = representationBlobKey(rep.modelPack.version, sha256, rep.faceIndex);
    await this.blobs.put(blobKey, encodeRepresentation(rep), { contentType: 'application/vnd.facex.representation+safetensors' });
    const cacheKey = this.cacheKey(sha256, rep.faceIndex, rep.modelPack.version);
    await this.assets.addRepresentation(sha256, cacheKey);
    await this.redis.hset(cacheKey, {
      blobKey,
      identity: f32Base64(rep.identity),
      expression: f32Base64(rep.motion.expression),
      lighting: f32Base64(rep.environment.lighting),
      pose: JSON.stringify(rep.motion.pose),
      gaze: JSON.stringify(rep.motion.gaze),
      box: JSON.stringify(rep.detection.box),
      faceCount: String(rep.faceCount),
    });
    return blobKey;
  }

  async load(blobKey: string): Promise<FaceRepresentation> {
    return decodeRepresentation(await this.blobs.get(blobKey));
  }

  /** Removes every cached representation of an asset, hashes and blobs. */
  async deleteForAsset(sha256: string): Promise<number> {
    const cacheKeys = await this.assets.representations(sha256);
    for (const cacheKey of cacheKeys) {
      const blobKey = await this.redis.hget(cacheKey, 'blobKey');
      if (blobKey) await this.blobs.delete(blobKey);
      await this.redis.del(cacheKey);
    }
    return cacheKeys.length;
  }
}
