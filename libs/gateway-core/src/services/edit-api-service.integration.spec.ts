/** Result delivery from S3 (s3rver on loopback): a presigned redirect while the result lives, 410 after. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import sharp from 'sharp';
import S3rver from 's3rver';
import { newEditRecord, recipeFromPreset, type EditRecord } from '@facex/contracts';
import { EditLifecycle, EditService, createRepositories, type EditRepository } from '@facex/edit-pipeline';
import { S3BlobStore, resultKey } from '@facex/storage';
import { deleteNamespace, TEST_REDIS_URL, testPrefix } from '@facex/queue/testing';
import { TenantAssetRepository } from '../repositories/tenant-asset-repository';
import { AssetService } from './asset-service';
import { EditApiService } from './edit-api-service';
import { gatewayConfigFromEnv } from '../config/gateway-config';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const redis = new IORedis(TEST_REDIS_URL);
const prefix = testPrefix('edit-api');
let server: S3rver;
let dir: string;
let s3: S3BlobStore;
let edits: EditRepository;
let service: EditApiService;
let serviceWithWarp: EditApiService;
let assets: AssetService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-gw-s3-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'facex', configs: [] }] });
  const { port } = await server.run();
  s3 = new S3BlobStore({
    bucket: 'facex',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    maxAttempts: 1,
  });
  const repositories = createRepositories(redis, prefix, s3);
  edits = repositories.edits;
  const flows = { add: async () => undefined, addVideo: async () => undefined, removeWaiting: async () => true };
  const editService = new EditService({ blobs: s3, ...repositories, lifecycle: new EditLifecycle(edits, { emit: async () => undefined }), flows });
  const settings = {
    maxAssetBytes: 1e6,
    maxAssetPixels: 1e6,
    video: gatewayConfigFromEnv({}).video,
    uploadDir: gatewayConfigFromEnv({}).uploadDir,
    urlFetchTimeoutMs: 1000,
    allowPrivateUrls: false as const,
    allowRandomWeights: false,
    presignSeconds: 60,
  };
  assets = new AssetService(s3, new TenantAssetRepository(redis, `${prefix}:`), editService, settings);
  service = new EditApiService(editService, assets, s3, [{ name: 'reference', modelPack: null }], settings);
  serviceWithWarp = new EditApiService(
    editService,
    assets,
    s3,
    [
      { name: 'reference', modelPack: null },
      { name: 'warp', modelPack: null },
    ],
    settings,
  );
});

afterAll(async () => {
  await deleteNamespace(redis, prefix);
  await redis.quit();
  s3.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function completedEdit(expiresInMs: number): Promise<EditRecord> {
  const record = newEditRecord({
    tenant: 'key_owner',
    recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
    inputs: [
      { assetId: 'a'.repeat(64), faceIndex: 0 },
      { assetId: 'b'.repeat(64), faceIndex: 0 },
    ],
    options: { generator: 'reference', steps: 1, guidance: 1, resolution: 512 },
  });
  const key = resultKey(record.id, 'png');
  const completed: EditRecord = {
    ...record,
    status: 'completed',
    result: { key, contentType: 'image/png', generator: 'reference', modelPack: null, expiresAt: new Date(Date.now() + expiresInMs).toISOString() },
  };
  await edits.create(completed);
  await s3.put(key, PNG, { contentType: 'image/png', expiresAt: new Date(Date.now() + Math.max(expiresInMs, 1)) });
  return completed;
}

describe('EditApiService.result on S3', () => {
  it('redirects to a presigned URL that serves the result', async () => {
    const edit = await completedEdit(60_000);
    const delivery = await service.result('key_owner', edit.id);
    if (delivery.kind !== 'redirect') throw new Error('expected a redirect from S3');
    const fetched = await fetch(delivery.url);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(PNG);
  });

  it('answers 410 once the result has expired, and 404 to another tenant', async () => {
    const expired = await completedEdit(-1_000);
    await expect(service.result('key_owner', expired.id)).rejects.toMatchObject({ code: 'result_expired' });
    const live = await completedEdit(60_000);
    await s3.delete(live.result!.key);
    await expect(service.result('key_owner', live.id)).rejects.toMatchObject({ code: 'result_expired' });
    await expect(service.result('key_other', live.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('EditApiService.create', () => {
  it('gives an edit that names no generator the best weight-free one deployed: warp, else reference', async () => {
    const { id } = await assets.store(
      'key_owner',
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
        .png()
        .toBuffer(),
    );
    const body = { task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: id }, { assetId: id }] };
    expect((await serviceWithWarp.create('key_owner', body)).options.generator).toBe('warp');
    expect((await service.create('key_owner', body)).options.generator).toBe('reference');
    const named = await serviceWithWarp.create('key_owner', { ...body, options: { generator: 'reference' } });
    expect(named.options.generator).toBe('reference');
  });
});
