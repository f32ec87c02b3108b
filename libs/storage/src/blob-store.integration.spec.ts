/** The BlobStore contract, run against the filesystem store and the S3 store (s3rver on loopback). */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { BlobNotFoundError, type BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';
import { assetKey, assertSafeKey, conditionsPrefix, representationBlobKey, resultKey } from './keys';

const BYTES = new Uint8Array([1, 2, 3, 4, 5]);
const HOUR = 3_600_000;

async function streamed(store: BlobStore, key: string): Promise<number[]> {
  const { body } = await store.stream(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return [...Buffer.concat(chunks)];
}

function blobStoreContract(name: string, open: () => Promise<BlobStore>): void {
  describe(name, () => {
    let store: BlobStore;
    beforeAll(async () => {
      store = await open();
    });

    it('reads back what it stored, as bytes, as a stream and as info', async () => {
      await store.put('results/a.png', BYTES, { contentType: 'image/png' });
      expect([...(await store.get('results/a.png'))]).toEqual([...BYTES]);
      expect(await streamed(store, 'results/a.png')).toEqual([...BYTES]);
      expect(await store.head('results/a.png')).toMatchObject({ key: 'results/a.png', size: 5, contentType: 'image/png', expiresAt: null });
    });

    it('stores a file streamed from disk, byte for byte, with its content type and expiry', async () => {
      const source = await mkdtemp(join(tmpdir(), 'facex-put-file-'));
      try {
        // Larger than one read of a file stream (64 KiB), so the blob is several chunks joined.
        const bytes = randomBytes(300_000);
        const path = join(source, 'clip.mp4');
        await writeFile(path, bytes);
        const expiresAt = new Date(Date.now() + HOUR);
        await store.putFile('assets/clip', path, { contentType: 'video/mp4', expiresAt });
        expect(Buffer.from(await store.get('assets/clip')).equals(bytes)).toBe(true);
        expect(await store.head('assets/clip')).toMatchObject({ size: bytes.length, contentType: 'video/mp4', expiresAt });
        await expect(store.putFile('../clip', path)).rejects.toMatchObject({ code: 'invalid_recipe', details: { field: 'key' } });
      } finally {
        await rm(source, { recursive: true, force: true });
      }
    });

    it('reports an absent blob as null on head and BlobNotFoundError (not retryable) on get', async () => {
      expect(await store.head('results/none.png')).toBeNull();
      await expect(store.get('results/none.png')).rejects.toMatchObject({ name: 'BlobNotFoundError', retryable: false });
      await expect(store.stream('results/none.png')).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('treats an expired blob as absent', async () => {
      await store.put('results/old.png', BYTES, { expiresAt: new Date(Date.now() - 1000) });
      await store.put('results/new.png', BYTES, { expiresAt: new Date(Date.now() + HOUR) });
      expect(await store.head('results/old.png')).toBeNull();
      await expect(store.get('results/old.png')).rejects.toBeInstanceOf(BlobNotFoundError);
      expect((await store.head('results/new.png'))?.expiresAt?.getTime()).toBeGreaterThan(Date.now());
    });

    it('deletes one blob, and every blob under a prefix', async () => {
      await Promise.all(['conditions/e1/a', 'conditions/e1/b', 'conditions/e2/a'].map((key) => store.put(key, BYTES)));
      expect(await store.deletePrefix('conditions/e1/')).toBe(2);
      expect(await store.head('conditions/e1/a')).toBeNull();
      expect(await store.head('conditions/e2/a')).not.toBeNull();
      await store.delete('conditions/e2/a');
      await store.delete('conditions/e2/a');
      expect(await store.head('conditions/e2/a')).toBeNull();
    });

    it('refuses keys that could escape the store', async () => {
      await expect(store.put('../etc/passwd', BYTES)).rejects.toMatchObject({ code: 'invalid_recipe', details: { field: 'key' } });
    });
  });
}

describe('FsBlobStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-fs-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  blobStoreContract('contract', async () => new FsBlobStore(dir));

  it('leaves no temp files behind and sweeps expired blobs', async () => {
    const store = new FsBlobStore(join(dir, 'sweep'));
    await store.put('results/x.png', BYTES, { expiresAt: new Date(Date.now() + 1000) });
    await store.put('results/y.png', BYTES);
    expect(await readdir(join(dir, 'sweep', 'blobs', 'results'))).toEqual(['x.png', 'y.png']);
    expect(await store.sweepExpired(Date.now() + 2000)).toBe(1);
    expect(await readdir(join(dir, 'sweep', 'blobs', 'results'))).toEqual(['y.png']);
  });
});

describe('S3BlobStore on s3rver', () => {
  let server: S3rver;
  let dir: string;
  let s3: S3BlobStore;
  let endpoint: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-s3rver-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'facex', configs: [] }] });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    s3?.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  blobStoreContract('contract', async () => {
    s3 = new S3BlobStore({ bucket: 'facex', endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
    return s3;
  });

  it('presigns a short-lived GET URL that serves the blob', async () => {
    await s3.put('results/signed.png', BYTES, { contentType: 'image/png' });
    const url = await s3.presign('results/signed.png', 60);
    expect(url).toContain('X-Amz-Expires=60');
    const response = await fetch(url);
    expect([response.status, [...new Uint8Array(await response.arrayBuffer())]]).toEqual([200, [...BYTES]]);
  });
});

describe('key scheme', () => {
  const sha = 'c'.repeat(64);
  const editId = 'ed_' + '0'.repeat(26);
  it('names assets, representations, conditions and results as documented', () => {
    expect(assetKey(sha)).toBe(`assets/${sha}`);
    expect(representationBlobKey('1.0.0+abc', sha, 2)).toBe(`representations/1.0.0+abc/${sha}/2.safetensors`);
    expect(conditionsPrefix(editId)).toBe(`conditions/${editId}/`);
    expect([resultKey(editId, 'png'), resultKey(editId, 'jpeg')]).toEqual([`results/${editId}.png`, `results/${editId}.jpg`]);
  });

  it('rejects a malformed asset id or key, naming the field', () => {
    expect(() => assetKey('ABC')).toThrow(expect.objectContaining({ code: 'invalid_recipe', details: { field: 'assetId' } }));
    expect(() => assertSafeKey('a//b')).toThrow(/not a valid blob key/);
  });
});
