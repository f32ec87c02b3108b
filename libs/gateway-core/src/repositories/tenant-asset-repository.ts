/**
 * Which tenant holds which asset. Assets are content-addressed globally (one blob per sha256) but owned per
 * tenant: `<prefix>:tenant:<id>:asset:<sha>` is the tenant's ownership record (when it uploaded the asset,
 * bytes, type, size, and a video's probe), `<prefix>:tenant:<id>:asset-list` lists them in creation order (see listing.ts), and
 * `<prefix>:asset:<sha>:owners` the tenants of an asset, so the blob is deleted only when its last owner
 * deletes it. The image's size (`<prefix>:asset:<sha>:size`, "W×H") lives as long as the asset has an owner.
 */
import type { Redis } from 'ioredis';
import { VideoProbeSchema, type VideoProbe } from '@facex/contracts';
import { decodeCursor, encodeCursor, idOfMember, listingMember, newestFirst, type Page, type PageQuery } from '@facex/edit-pipeline';

// KEYS: record, list, owners, size. ARGV: sha, tenant, member, createdAt, bytes, contentType, width, height, video.
const OWN_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'member', ARGV[3], 'createdAt', ARGV[4], 'bytes', ARGV[5], 'contentType', ARGV[6], 'width', ARGV[7], 'height', ARGV[8], 'video', ARGV[9])
  redis.call('ZADD', KEYS[2], 0, ARGV[3])
end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[7] .. 'x' .. ARGV[8])
return redis.call('HGET', KEYS[1], 'createdAt')`;

// KEYS: record, list, owners, size. ARGV: tenant.
const DISOWN_SCRIPT = `
local member = redis.call('HGET', KEYS[1], 'member')
if not member then return -1 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], member)
redis.call('SREM', KEYS[3], ARGV[1])
local remaining = redis.call('SCARD', KEYS[3])
if remaining == 0 then redis.call('DEL', KEYS[4]) end
return remaining`;

export interface ImageSize {
  width: number;
  height: number;
}

export interface OwnedAsset extends ImageSize {
  id: string;
  /** Bytes of the stored image. */
  size: number;
  contentType: string;
  /** What ffprobe read of a video at upload; null for an image. */
  video: VideoProbe | null;
  /** When this tenant first stored it (ISO 8601). */
  createdAt: string;
}

/** The stored probe; records written before videos were accepted (and images) have none. */
function videoOf(text: string | undefined): VideoProbe | null {
  if (!text) return null;
  const parsed = VideoProbeSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export class TenantAssetRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private recordKey(tenant: string, sha256: string): string {
    return `${this.keyPrefix}tenant:${tenant}:asset:${sha256}`;
  }

  private listKey(tenant: string): string {
    return `${this.keyPrefix}tenant:${tenant}:asset-list`;
  }

  private ownersKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:owners`;
  }

  private sizeKey(sha256: string): string {
    return `${this.keyPrefix}asset:${sha256}:size`;
  }

  private keys(tenant: string, sha256: string): [string, string, string, string] {
    return [this.recordKey(tenant, sha256), this.listKey(tenant), this.ownersKey(sha256), this.sizeKey(sha256)];
  }

  /** Records the tenant's ownership (kept as first recorded when it stores the same bytes again). */
  async own(tenant: string, asset: Omit<OwnedAsset, 'createdAt'>, now = new Date()): Promise<OwnedAsset> {
    const createdAt = now.toISOString();
    const member = listingMember(createdAt, asset.id);
    const video = asset.video ? JSON.stringify(asset.video) : '';
    const args = [asset.id, tenant, member, createdAt, String(asset.size), asset.contentType, String(asset.width), String(asset.height), video];
    const recorded = (await this.redis.eval(OWN_SCRIPT, 4, ...this.keys(tenant, asset.id), ...args)) as string;
    return { ...asset, createdAt: recorded };
  }

  /** The image's size; null for an unknown asset (or one stored before sizes were kept). */
  async size(sha256: string): Promise<ImageSize | null> {
    const value = await this.redis.get(this.sizeKey(sha256));
    const [width, height] = (value ?? '').split('x').map(Number);
    return value && width > 0 && height > 0 ? { width, height } : null;
  }

  async owns(tenant: string, sha256: string): Promise<boolean> {
    return (await this.redis.exists(this.recordKey(tenant, sha256))) === 1;
  }

  /** The tenant's ownership record; null when it holds no such asset. */
  async get(tenant: string, sha256: string): Promise<OwnedAsset | null> {
    const hash = await this.redis.hgetall(this.recordKey(tenant, sha256));
    if (!hash['member']) return null;
    return {
      id: sha256,
      size: Number(hash['bytes']),
      contentType: hash['contentType'],
      width: Number(hash['width']),
      height: Number(hash['height']),
      video: videoOf(hash['video']),
      createdAt: hash['createdAt'],
    };
  }

  /** The tenant's assets, newest first; null for a cursor this code did not write. */
  async list(tenant: string, query: PageQuery): Promise<Page<OwnedAsset> | null> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (cursor === null) return null;
    const members = await newestFirst(this.redis, this.listKey(tenant), query, cursor, query.limit + 1);
    const page = members.slice(0, query.limit);
    const records = await Promise.all(page.map((member) => this.get(tenant, idOfMember(member))));
    const items = records.filter((record): record is OwnedAsset => record !== null);
    return { items, ...(members.length > query.limit ? { nextCursor: encodeCursor(page[page.length - 1]) } : {}) };
  }

  /** How many tenants hold the asset. */
  owners(sha256: string): Promise<number> {
    return this.redis.scard(this.ownersKey(sha256));
  }

  /** Drops the tenant's claim atomically: null when it had none, else how many owners remain. */
  async disown(tenant: string, sha256: string): Promise<number | null> {
    const remaining = (await this.redis.eval(DISOWN_SCRIPT, 4, ...this.keys(tenant, sha256), tenant)) as number;
    return remaining < 0 ? null : remaining;
  }
}
