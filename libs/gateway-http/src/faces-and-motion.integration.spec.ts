/**
 * The faces of a photo and the motion and face-selection fields of an edit over HTTP (real Redis, filesystem
 * store, in-process workers with FaceAnalyzer on one thread and the `reference` generator): the face list and
 * its thumbnails, a multi-face edit, and bad values answered 422 problem+json naming the field with nothing
 * queued.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Queue } from 'bullmq';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES } from '@facex/queue';
import type { RunningGateway } from './start-gateway';
import { openTestStore, startTestGateway, type TestStore } from './testing/gateway-harness';

const SAMPLES = join(__dirname, '..', '..', '..', 'node_modules', '@vladmandic', 'face-api', 'demo');

let store: TestStore;
let gateway: RunningGateway;
let workers: RunningWorkers;
let key: string;
let otherKey: string;
let assets: { group: string; portrait: string; noFace: string };

const auth = (k = key): Record<string, string> => ({ authorization: `Bearer ${k}` });
const postJson = (path: string, body: unknown): Promise<Response> =>
  fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function upload(bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'photo');
  const response = await fetch(`${gateway.url}/v1/assets`, { method: 'POST', headers: auth(), body: form });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Jobs of the edit stages in the queues (the `faces` analysis jobs are not edits). */
async function editJobs(): Promise<number> {
  let count = 0;
  for (const tier of ['cpu', 'gpu'] as const) {
    const queue = new Queue(QUEUE_NAMES[tier], { connection: gateway.services.redis, prefix: store.prefix });
    const jobs = await queue.getJobs(['wait', 'waiting-children', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    count += jobs.filter((job) => job && job.name !== 'faces').length;
    await queue.close();
  }
  return count;
}

beforeAll(async () => {
  store = await openTestStore('faces-http');
  gateway = await startTestGateway(store);
  workers = await startWorkers({
    redisUrl: gateway.services.context.config.redisUrl,
    prefix: store.prefix,
    blobs: store.blobs,
    tiers: ['cpu', 'gpu'],
    analyzerThreads: 1,
  });
  key = (await gateway.services.context.apiKeys.issue('tenant-faces')).key;
  otherKey = (await gateway.services.context.apiKeys.issue('tenant-other')).key;
  const gradient = new Uint8Array(96 * 96 * 3).map((_, i) => i % 251);
  assets = {
    group: await upload(await readFile(join(SAMPLES, 'sample2.jpg'))),
    portrait: await upload(await readFile(join(SAMPLES, 'sample1.jpg'))),
    noFace: await upload(
      await sharp(gradient, { raw: { width: 96, height: 96, channels: 3 } })
        .png()
        .toBuffer(),
    ),
  };
});

afterAll(async () => {
  await gateway?.close();
  await workers?.close();
  await store?.cleanup();
});

describe('GET /v1/assets/{id}/faces', () => {
  it('lists every face with its index, box, score, pose and a thumbnail URL that serves its crop', async () => {
    const response = await fetch(`${gateway.url}/v1/assets/${assets.group}/faces`, { headers: auth() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      assetId: string;
      faces: Array<{ index: number; box: { width: number }; score: number; pose: { yaw: number }; thumbnailUrl: string }>;
    };
    expect(body.assetId).toBe(assets.group);
    expect(body.faces.map((f) => f.index)).toEqual([0, 1, 2]);
    for (const face of body.faces) {
      expect(face.box.width).toBeGreaterThan(50);
      expect(face.score).toBeGreaterThan(0.5);
      expect(Number.isFinite(face.pose.yaw)).toBe(true);
    }
    const thumbnail = await fetch(`${gateway.url}${body.faces[1].thumbnailUrl}`, { headers: auth() });
    expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).width).toBe(512);
  });

  it("lists no faces for a photo without one, and hides another key's asset (404)", async () => {
    const empty = await fetch(`${gateway.url}/v1/assets/${assets.noFace}/faces`, { headers: auth() });
    expect(await empty.json()).toEqual({ assetId: assets.noFace, faces: [] });
    expect((await fetch(`${gateway.url}/v1/assets/${assets.group}/faces`, { headers: auth(otherKey) })).status).toBe(404);
    expect((await fetch(`${gateway.url}/v1/assets/${assets.group}/faces/7/thumbnail`, { headers: auth() })).status).toBe(404);
  });
});

describe('POST /v1/edits with motion and faces', () => {
  const swap = () => ({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: assets.portrait }, { assetId: assets.group }] });

  it.each([
    ['an infinite value', '{"yaw":1e999}', 'motion.yaw'],
    ['a value out of range', { pitch: 45 }, 'motion.pitch'],
    ['an unknown control', { wink: 1 }, 'motion.wink'],
    ['a string', { smile: 'wide' }, 'motion.smile'],
  ])('answers 422 problem+json naming the field for %s, and queues nothing', async (_, motion, field) => {
    const before = await editJobs();
    const body = typeof motion === 'string' ? JSON.stringify(swap()).replace(/}$/, `,"motion":${motion}}`) : { ...swap(), motion };
    const response = await postJson('/v1/edits', body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { field: string }).field).toBe(field);
    expect(await editJobs()).toBe(before);
  });

  it('answers 422 on faces.reference for a reference photo without a face, and on faces.index past the faces, queueing nothing', async () => {
    const before = await editJobs();
    const noFace = await postJson('/v1/edits', { ...swap(), faces: { mode: 'reference', reference: { assetId: assets.noFace, faceIndex: 0 } } });
    expect([noFace.status, ((await noFace.json()) as { field: string }).field]).toEqual([422, 'faces.reference']);
    const pastTheEnd = await postJson('/v1/edits', { ...swap(), faces: { mode: 'index', index: 5 } });
    expect([pastTheEnd.status, ((await pastTheEnd.json()) as { field: string }).field]).toEqual([422, 'faces.index']);
    expect(await editJobs()).toBe(before);
  });

  it('edits every face chosen, left to right, in one result that turns each head too', async () => {
    const response = await postJson('/v1/edits', {
      ...swap(),
      motion: { yaw: 5 },
      faces: { mode: 'all', sort: 'left-to-right' },
      options: { generator: 'reference' },
    });
    expect(response.status).toBe(201);
    const edit = (await response.json()) as { id: string; targetFaces: number[]; recipe: { motion: unknown } };
    expect([...edit.targetFaces].sort()).toEqual([0, 1, 2]);
    expect(edit.recipe.motion).toEqual({ mode: 'relative', yaw: 5 });
    let status = '';
    for (let i = 0; i < 600 && !['completed', 'failed'].includes(status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = ((await (await fetch(`${gateway.url}/v1/edits/${edit.id}`, { headers: auth() })).json()) as { status: string }).status;
    }
    expect(status).toBe('completed');
  });
});
