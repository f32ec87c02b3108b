/**
 * BlobStore on a local directory (embedded mode, tests). Blobs live under `<root>/blobs/<key>`, their
 * metadata under `<root>/meta/<key>.json`. Every write goes to a temp file renamed into place, metadata
 * first: a reader sees the whole old blob or the whole new one, never half a result.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, posix } from 'node:path';
import { BlobNotFoundError, DEFAULT_CONTENT_TYPE, isExpired, type BlobInfo, type BlobStore, type PutOptions } from './blob-store';
import { assertSafeKey } from './keys';

interface StoredMeta {
  contentType: string;
  expiresAt: string | null;
}

/** Writes `path` through a temp file renamed into place; `write` fills the temp file. */
async function replaceAtomically(path: string, write: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await write(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const writeAtomically = (path: string, bytes: Uint8Array | string): Promise<void> => replaceAtomically(path, (temp) => writeFile(temp, bytes));

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Every file under `dir`, as '/'-separated paths relative to `base`. */
async function listFiles(dir: string, base: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, base)));
    else
      files.push(
        posix.normalize(
          path
            .slice(base.length + 1)
            .split('\\')
            .join('/'),
        ),
      );
  }
  return files;
}

export class FsBlobStore implements BlobStore {
  private readonly blobs: string;
  private readonly meta: string;

  constructor(root: string) {
    this.blobs = join(root, 'blobs');
    this.meta = join(root, 'meta');
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<void> {
    await this.store(key, options, (temp) => writeFile(temp, bytes));
  }

  async putFile(key: string, path: string, options: PutOptions = {}): Promise<void> {
    await this.store(key, options, (temp) => copyFile(path, temp));
  }

  /** The metadata, then the blob that `write` fills, each renamed into place. */
  private async store(key: string, options: PutOptions, write: (temp: string) => Promise<void>): Promise<void> {
    assertSafeKey(key);
    const meta: StoredMeta = { contentType: options.contentType ?? DEFAULT_CONTENT_TYPE, expiresAt: options.expiresAt?.toISOString() ?? null };
    await writeAtomically(this.metaPath(key), JSON.stringify(meta));
    await replaceAtomically(this.blobPath(key), write);
  }

  async get(key: string): Promise<Uint8Array> {
    if (!(await this.head(key))) throw new BlobNotFoundError(key);
    try {
      const buffer = await readFile(this.blobPath(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async stream(key: string): Promise<{ info: BlobInfo; body: ReturnType<typeof createReadStream> }> {
    const info = await this.head(key);
    if (!info) throw new BlobNotFoundError(key);
    return { info, body: createReadStream(this.blobPath(key)) };
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertSafeKey(key);
    let size: number;
    try {
      size = (await stat(this.blobPath(key))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const meta = await this.readMeta(key);
    const expiresAt = meta?.expiresAt ? new Date(meta.expiresAt) : null;
    if (isExpired(expiresAt)) return null;
    return { key, size, contentType: meta?.contentType ?? DEFAULT_CONTENT_TYPE, expiresAt };
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    // Data first: a blob without metadata would read with default metadata, metadata without data reads absent.
    await rm(this.blobPath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = prefix.endsWith('/') ? prefix : posix.dirname(prefix);
    const keys = (await listFiles(join(this.blobs, dir), this.blobs)).filter((key) => key.startsWith(prefix) && !key.endsWith('.tmp'));
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  /** Removes every expired blob (run periodically in embedded mode; S3 uses a lifecycle rule). */
  async sweepExpired(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const metaFile of await listFiles(this.meta, this.meta)) {
      if (!metaFile.endsWith('.json')) continue;
      const key = metaFile.slice(0, -'.json'.length);
      const meta = await this.readMeta(key);
      if (meta?.expiresAt && isExpired(new Date(meta.expiresAt), now)) {
        await this.delete(key);
        removed++;
      }
    }
    return removed;
  }

  private async readMeta(key: string): Promise<StoredMeta | null> {
    try {
      return JSON.parse(await readFile(this.metaPath(key), 'utf8')) as StoredMeta;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private blobPath(key: string): string {
    return join(this.blobs, key);
  }

  private metaPath(key: string): string {
    return join(this.meta, `${key}.json`);
  }
}
