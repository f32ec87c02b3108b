/**
 * The aligned-crop cache between extract and assemble (real FaceAnalyzer with one thread, real Redis,
 * filesystem blob store): extract stores each face's 512 px aligned crop beside its representation, a cache
 * hit reads no image, assemble works from the crops without reading the assets, and deleting an asset's
 * representations deletes its crops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { FaceAnalyzer, decodeImage } from '@facex/analysis';
import { recipeFromPreset } from '@facex/contracts';
import { warpRgb } from '@facex/imaging';
import { createRedis } from '@facex/queue';
import { FsBlobStore, alignedCropKey, assetKey, type BlobStore } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { decodeRgbPng } from '../png';
import { NO_METRICS, type FaceAnalyzerPort } from '../ports';
import { createRepositories } from '../start-workers';
import { assembleConditions } from './assemble';
import { extractRepresentation } from './extract';

/** A blob store that counts reads per key. */
function countingGets(inner: BlobStore): { blobs: BlobStore; gets: Map<string, number> } {
  const gets = new Map<string, number>();
  const blobs: BlobStore = {
    put: (key, bytes, options) => inner.put(key, bytes, options),
    putFile: (key, path, options) => inner.putFile(key, path, options),
    get: (key) => {
      gets.set(key, (gets.get(key) ?? 0) + 1);
      return inner.get(key);
    },
    stream: (key) => inner.stream(key),
    head: (key) => inner.head(key),
    delete: (key) => inner.delete(key),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
  };
  return { blobs, gets };
}

const prefix = testPrefix('aligned-crops');
const redis = createRedis(TEST_REDIS_URL);
const TTL_MS = 3_600_000;
let dir: string;
let analyzer: FaceAnalyzer;
let analyzeCalls = 0;
const assets: Array<{ sha256: string; key: string; bytes: Buffer }> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-aligned-crops-'));
  const blobs = new FsBlobStore(dir);
  for (const name of ['sample1.jpg', 'sample3.jpg']) {
    const bytes = samplePhoto(name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(assetKey(sha256), bytes, { contentType: 'image/jpeg' });
    assets.push({ sha256, key: assetKey(sha256), bytes });
  }
  analyzer = await FaceAnalyzer.open({ workers: 1 });
});

afterAll(async () => {
  await analyzer?.close();
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

function stage() {
  const { blobs, gets } = countingGets(new FsBlobStore(dir));
  const { representations } = createRepositories(redis, prefix, blobs);
  const port: FaceAnalyzerPort = {
    packVersion: analyzer.manifest.version,
    analyzeWithCrop(bytes, faceIndex) {
      analyzeCalls++;
      return analyzer.analyzeWithCrop(bytes, faceIndex);
    },
    analyzeAllWithCrops: (bytes) => analyzer.analyzeAllWithCrops(bytes),
  };
  const extract = (index: number) =>
    extractRepresentation(
      { blobs, representations, analyzer: port, metrics: NO_METRICS, representationTtlMs: TTL_MS },
      { assetKey: assets[index].key, assetSha256: assets[index].sha256, faceIndex: 0, field: `inputs[${index}]` },
    );
  return { blobs, gets, representations, extract };
}

it('stores, on a cache miss, the aligned crop of the face: the 512 px warp of the image by its alignment', async () => {
  const { blobs, representations, extract } = stage();
  const { representationKey, cacheHit } = await extract(0);
  expect(cacheHit).toBe(false);
  const rep = await representations.load(representationKey);
  const stored = await decodeRgbPng(await blobs.get(alignedCropKey(rep.modelPack.version, rep.asset.sha256, 0)), 'crop');
  const expected = warpRgb((await decodeImage(assets[0].bytes)).image, rep.alignment.matrix, 512, 512);
  expect([stored.width, stored.height]).toEqual([512, 512]);
  expect(Buffer.from(stored.data).equals(Buffer.from(expected.data))).toBe(true);
});

it('reads no image on a cache hit', async () => {
  const { gets, extract } = stage();
  const callsBefore = analyzeCalls;
  expect((await extract(0)).cacheHit).toBe(true);
  expect(analyzeCalls).toBe(callsBefore);
  expect(gets.get(assets[0].key)).toBeUndefined();
});

it('extracts again when the cached representation has lost its crop', async () => {
  const { blobs, representations, extract } = stage();
  const rep = await representations.load((await extract(0)).representationKey);
  const cropKey = alignedCropKey(rep.modelPack.version, rep.asset.sha256, 0);
  await blobs.delete(cropKey);
  expect((await extract(0)).cacheHit).toBe(false);
  expect(await blobs.head(cropKey)).not.toBeNull();
});

it('assembles a face swap from the stored crops without reading the assets', async () => {
  const { blobs, gets, extract, representations } = stage();
  const representationKeys = [(await extract(0)).representationKey, (await extract(1)).representationKey];
  gets.clear();
  const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
  await assembleConditions(
    { blobs, representations, resultTtlMs: TTL_MS },
    { recipe, assetKeys: assets.map((a) => a.key), representationKeys, conditionsPrefix: 'conditions/crop-test/' },
  );
  expect(assets.map((a) => gets.get(a.key) ?? 0)).toEqual([0, 0]);
  const target = await representations.load(representationKeys[1]);
  expect(gets.get(alignedCropKey(target.modelPack.version, target.asset.sha256, 0))).toBe(1);
  // The face swap's frame is the target's own crop, passed through unchanged.
  const frame = await decodeRgbPng(await blobs.get('conditions/crop-test/frame.png'), 'frame');
  const targetCrop = await representations.loadAlignedCrop(target, 'target');
  expect(Buffer.from(frame.data).equals(Buffer.from(targetCrop.data))).toBe(true);
});

it("deletes an asset's crops with its representations", async () => {
  const { blobs, representations, extract } = stage();
  const rep = await representations.load((await extract(1)).representationKey);
  const cropKey = alignedCropKey(rep.modelPack.version, rep.asset.sha256, 0);
  expect(await blobs.head(cropKey)).not.toBeNull();
  expect(await representations.deleteForAsset(assets[1].sha256)).toBeGreaterThanOrEqual(1);
  expect(await blobs.head(cropKey)).toBeNull();
});

it('gives the representation, its aligned crop and the conditions an expiry (the retention), and the cache entry a Redis TTL', async () => {
  const { blobs, extract, representations } = stage();
  const representationKeys = [(await extract(0)).representationKey, (await extract(1)).representationKey];
  const rep = await representations.load(representationKeys[0]);
  const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
  await assembleConditions(
    { blobs, representations, resultTtlMs: TTL_MS },
    { recipe, assetKeys: assets.map((a) => a.key), representationKeys, conditionsPrefix: 'conditions/ttl-test/' },
  );
  const within = (expiresAt: Date | null | undefined): boolean => !!expiresAt && Math.abs(expiresAt.getTime() - Date.now() - TTL_MS) < 120_000;
  for (const key of [
    representationKeys[0],
    alignedCropKey(rep.modelPack.version, rep.asset.sha256, 0),
    'conditions/ttl-test/frame.png',
    'conditions/ttl-test/tokens.safetensors',
  ]) {
    const info = await blobs.head(key);
    expect([key, within(info?.expiresAt)]).toEqual([key, true]);
  }
  const cacheKeys = await redis.keys(`${prefix}:rep:*`);
  const ttls = await Promise.all(cacheKeys.map((key) => redis.pttl(key)));
  expect(ttls.filter((ttl) => ttl > 0).length).toBeGreaterThan(0);
});
