/**
 * Whole edits through real BullMQ workers in-process (real Redis, filesystem blob store, the real FaceAnalyzer
 * with one thread): a face swap completes; a second edit hits the representation cache; a face-less input
 * fails without retries; a transient fault is retried; an "all faces" swap edits every face of a group photo.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { FlowProducer, Queue } from 'bullmq';
import { FaceAnalyzer, decodeImage } from '@facex/analysis';
import { applyAffine, dilateSquare, invertAffine } from '@facex/imaging';
import { samplePhoto } from '@facex/analysis/testing';
import { FacexError, editJobId, newEditRecord, recipeFromPreset, type EditRecord } from '@facex/contracts';
import { QUEUE_NAMES, createRedis } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { FsBlobStore, assetKey, representationPrefix } from '@facex/storage';
import { compositeThroughMask, referenceGenerator, type Generator } from '@facex/generators';
import { EditLifecycle } from './edit-lifecycle';
import { EditService } from './edit-service';
import { bullmqEditFlows } from './bullmq-flows';
import { loadConditions } from './conditions-codec';
import { createRepositories, startWorkers, type RunningWorkers } from './start-workers';
import type { EditEventType } from '@facex/contracts';
import { NO_METRICS, type EditEvents, type FaceAnalyzerPort, type PipelineMetrics } from './ports';

const prefix = testPrefix('edit-flow');
const redis = createRedis(TEST_REDIS_URL);
const retry = { extract: { attempts: 3, backoffMs: 20 }, assemble: { attempts: 3, backoffMs: 20 }, render: { attempts: 3, backoffMs: 20 } };

let dir: string;
let analyzer: FaceAnalyzer;
let running: RunningWorkers;
let service: EditService;
let flowProducer: FlowProducer;
let cpuQueue: Queue;
let gpuQueue: Queue;
let videoQueue: Queue;
const analyzeCalls: Array<{ sha256: string; faceIndex: number }> = [];
let transientFaultsLeft = 0;
const events: Array<[string, EditEventType]> = [];
const cacheLookups = { hit: 0, miss: 0 };

const countingAnalyzer = (): FaceAnalyzerPort => ({
  packVersion: analyzer.manifest.version,
  async analyzeWithCrop(bytes: Uint8Array, faceIndex: number) {
    analyzeCalls.push({ sha256: createHash('sha256').update(bytes).digest('hex'), faceIndex });
    if (transientFaultsLeft > 0) {
      transientFaultsLeft--;
      throw new FacexError('unavailable', 'analyzer queue is full');
    }
    return analyzer.analyzeWithCrop(bytes, faceIndex);
  },
  analyzeAllWithCrops: (bytes: Uint8Array) => analyzer.analyzeAllWithCrops(bytes),
});

/** A three-step stand-in for a real generator that holds after step 1 until the test lets it go on. */
let reachedFirstStep: () => void = () => undefined;
let continueAfterFirstStep: Promise<void> = Promise.resolve();
const steppingGenerator: Generator = {
  name: 'warp',
  modelPack: null,
  async render(conditions, _options, context) {
    await context.onStep(1, 3);
    reachedFirstStep();
    await continueAfterFirstStep;
    await context.onStep(2, 3);
    await context.onStep(3, 3);
    return { ...compositeThroughMask(conditions.reference, conditions.frameCrop, conditions.fusionMask), donor: DONOR, quality: DEGRADED };
  },
};
/** What a generator that regenerated from the face bank reports. */
const DONOR = { bank: '2+0123456789abcdef', id: `${'ab'.repeat(32)}#1`, label: 'operator/donor.jpg#1', coverage: 0.93 };
/** And its verdict on a result it could not make look real. */
const DEGRADED = { flag: 'degraded' as const, reasons: ['The face is turned 60° away from the pose its pixels were taken at.'] };

const recordingEvents: EditEvents = { emit: async (edit, type) => void events.push([edit.id, type]) };
const queueWaits: string[] = [];
const metrics: PipelineMetrics = {
  ...NO_METRICS,
  representationCache: (hit) => void cacheLookups[hit ? 'hit' : 'miss']++,
  queueWaited: (stage, seconds) => void (seconds >= 0 && queueWaits.push(stage)),
};

async function putAsset(blobs: FsBlobStore, bytes: Uint8Array): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await blobs.put(assetKey(sha256), bytes, { contentType: 'image/jpeg' });
  return sha256;
}

async function settled(editId: string, timeoutMs = 45_000): Promise<EditRecord> {
  const { edits } = createRepositories(redis, prefix, new FsBlobStore(dir));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const edit = await edits.get(editId);
    if (edit && ['completed', 'failed', 'canceled'].includes(edit.status)) return edit;
    if (Date.now() > deadline) throw new Error(`edit ${editId} still ${edit?.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The job once BullMQ has recorded its failure (the edit is failed first, from the final-failure hook). */
async function failedJob(queue: Queue, jobId: string) {
  for (let i = 0; i < 100 && (await queue.getJobState(jobId)) !== 'failed'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return queue.getJob(jobId);
}

function faceSwap(source: string, target: string, sourceFace = 0, generator: 'reference' | 'warp' = 'reference'): EditRecord {
  return newEditRecord({
    tenant: 'key_test',
    recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
    inputs: [
      { assetId: source, faceIndex: sourceFace },
      { assetId: target, faceIndex: 0 },
    ],
    options: { generator, steps: 30, guidance: 7.5, resolution: 512 },
  });
}

let sample1: string;
let sample3: string;
let blank: string;
let blobs: FsBlobStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-edit-flow-'));
  blobs = new FsBlobStore(dir);
  sample1 = await putAsset(blobs, samplePhoto('sample1.jpg'));
  sample3 = await putAsset(blobs, samplePhoto('sample3.jpg'));
  const gradient = new Uint8Array(96 * 96 * 3).map((_, i) => i % 251);
  blank = await putAsset(
    blobs,
    await sharp(gradient, { raw: { width: 96, height: 96, channels: 3 } })
      .png()
      .toBuffer(),
  );
  analyzer = await FaceAnalyzer.open({ workers: 1 });
  running = await startWorkers({
    redisUrl: TEST_REDIS_URL,
    prefix,
    blobs,
    tiers: ['cpu', 'gpu'],
    analyzer: countingAnalyzer(),
    generators: [referenceGenerator, steppingGenerator],
    events: recordingEvents,
    metrics,
    worker: { concurrency: { cpu: 2, gpu: 1 } },
  });
  flowProducer = new FlowProducer({ connection: redis, prefix });
  cpuQueue = new Queue(QUEUE_NAMES.cpu, { connection: redis, prefix });
  gpuQueue = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });
  videoQueue = new Queue(QUEUE_NAMES.video, { connection: redis, prefix });
  const repositories = createRepositories(redis, prefix, blobs);
  service = new EditService({
    blobs,
    ...repositories,
    lifecycle: new EditLifecycle(repositories.edits, recordingEvents),
    flows: bullmqEditFlows(flowProducer, { gpu: gpuQueue, video: videoQueue }, { prefix, retry }),
  });
});

afterAll(async () => {
  await running?.close();
  await Promise.all([flowProducer?.close(), cpuQueue?.close(), gpuQueue?.close(), videoQueue?.close(), analyzer?.close()]);
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

it('runs a face swap through extract, assemble and render and stores a PNG the size of the target', async () => {
  const edit = await service.submit(faceSwap(sample1, sample3));
  const done = await settled(edit.id);
  expect([done.status, done.error]).toEqual(['completed', null]);
  expect(done.result).toMatchObject({ key: `results/${edit.id}.png`, contentType: 'image/png', generator: 'reference', modelPack: null, donor: null });
  const png = await sharp(await blobs.get(done.result!.key)).metadata();
  const target = await sharp(samplePhoto('sample3.jpg')).metadata();
  expect([png.format, png.width, png.height]).toEqual(['png', target.width, target.height]);
  expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.completed']]);
  expect(analyzeCalls).toHaveLength(2);
  expect(await blobs.head(`conditions/${edit.id}/reference.png`)).not.toBeNull();
  // every stage's job reported how long it waited for a worker: two extracts, the assemble, the render
  expect([...queueWaits].sort()).toEqual(expect.arrayContaining(['assemble', 'extract', 'extract', 'render']));
});

it("names the face-bank donor the generator regenerated from and its quality verdict in the edit's result", async () => {
  const done = await settled((await service.submit(faceSwap(sample1, sample3, 0, 'warp'))).id);
  expect(done.status).toBe('completed');
  expect(done.result).toMatchObject({ generator: 'warp', donor: DONOR, quality: DEGRADED });
});

it('serves a second edit on the same assets from the representation cache, queueing no extract job', async () => {
  const callsBefore = analyzeCalls.length;
  const hitsBefore = cacheLookups.hit;
  const edit = await service.submit(faceSwap(sample3, sample1));
  const done = await settled(edit.id);
  expect(done.status).toBe('completed');
  expect(analyzeCalls.length).toBe(callsBefore);
  expect(cacheLookups.hit - hitsBefore).toBe(2);
  expect(await cpuQueue.getJob(editJobId(edit.id, 'extract', 0))).toBeUndefined();
  expect(await cpuQueue.getJob(editJobId(edit.id, 'extract', 1))).toBeUndefined();
});

it('extracts in the assemble stage when a representation cached at submit has gone since', async () => {
  const edit = faceSwap(sample3, sample1);
  const { representations } = createRepositories(redis, prefix, blobs);
  expect(await representations.cachedInputs(edit.inputs)).toEqual([0, 1]);
  // The cache loses sample3's representation blob after the gateway saw it cached.
  await blobs.deletePrefix(representationPrefix(analyzer.manifest.version, sample3));
  const callsBefore = analyzeCalls.length;
  const done = await settled((await service.submit(edit)).id);
  expect(done.status).toBe('completed');
  expect(analyzeCalls.slice(callsBefore)).toEqual([{ sha256: sample3, faceIndex: 0 }]);
});

it('fails an edit whose input has no face, once, without retrying, naming the input', async () => {
  const callsBefore = analyzeCalls.length;
  const edit = await service.submit(faceSwap(blank, sample3));
  const done = await settled(edit.id);
  expect(done.status).toBe('failed');
  expect(done.error).toMatchObject({ code: 'no_face', field: 'inputs[0]', retryable: false });
  expect(analyzeCalls.slice(callsBefore).filter((call) => call.sha256 === blank)).toHaveLength(1);
  expect((await failedJob(cpuQueue, editJobId(edit.id, 'extract', 0)))?.attemptsMade).toBe(1);
  expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.failed']]);
});

it('retries a transient analyzer fault and completes', async () => {
  transientFaultsLeft = 1;
  const callsBefore = analyzeCalls.length;
  const edit = await service.submit(faceSwap(sample1, sample3, 1));
  const done = await settled(edit.id);
  expect(done.status).toBe('completed');
  expect(analyzeCalls.slice(callsBefore)).toEqual([
    { sha256: sample1, faceIndex: 1 },
    { sha256: sample1, faceIndex: 1 },
  ]);
  expect((await cpuQueue.getJob(editJobId(edit.id, 'extract', 0)))?.attemptsMade).toBe(2);
});

it('fails an edit whose asset was deleted after submission, naming the input, without retrying', async () => {
  const missing = 'f'.repeat(64);
  const edit = await service.submit(faceSwap(missing, sample3));
  const done = await settled(edit.id);
  expect(done.status).toBe('failed');
  expect(done.error).toMatchObject({ code: 'invalid_recipe', field: 'inputs[0]', retryable: false });
  expect((await failedJob(cpuQueue, editJobId(edit.id, 'extract', 0)))?.attemptsMade).toBe(1);
});

it('stops a render between steps when its edit is canceled, and keeps no result', async () => {
  let letGo: () => void = () => undefined;
  continueAfterFirstStep = new Promise((resolve) => (letGo = resolve));
  const atFirstStep = new Promise<void>((resolve) => (reachedFirstStep = resolve));
  const edit = await service.submit(faceSwap(sample3, sample1, 0, 'warp'));
  await atFirstStep;
  expect(await service.cancel(edit.id, 'someone-else')).toBeNull();
  expect((await service.cancel(edit.id, 'key_test'))?.status).toBe('canceled');
  letGo();
  expect((await failedJob(gpuQueue, editJobId(edit.id, 'render')))?.attemptsMade).toBe(1);
  expect(await service.get(edit.id, 'key_test')).toMatchObject({ status: 'canceled', result: null, progress: { stage: 'render', step: 1, steps: 3 } });
  expect(await blobs.head(`results/${edit.id}.png`)).toBeNull();
  expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.canceled']]);
});

it('swaps every face of a group photo in one result and leaves the rest of the photo unchanged', async () => {
  // sample3.jpg holds three people; an "all faces" swap puts sample1's largest face on each of them.
  const faces = [0, 1, 2];
  const edit = await service.submit({ ...faceSwap(sample1, sample3), targetFaces: faces });
  const done = await settled(edit.id);
  expect([done.status, done.error]).toEqual(['completed', null]);
  const result = await decodeImage(await blobs.get(done.result!.key));
  const original = await decodeImage(samplePhoto('sample3.jpg'));
  const { width, height } = original.image;
  // Where each face's paste-back alpha reaches on the photo, from the conditions of every face.
  const touched = new Uint8Array(width * height);
  for (const [slot] of faces.entries()) {
    const conditions = await loadConditions(blobs, slot === 0 ? `conditions/${edit.id}/` : `conditions/${edit.id}/face-${slot}/`);
    const alpha = dilateSquare(conditions.fusionMask, 2);
    const toCrop = invertAffine(conditions.cropToImage);
    let changed = 0,
      inside = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const [u, v] = applyAffine(toCrop, x, y);
        const iu = Math.round(u),
          iv = Math.round(v);
        if (iu < 0 || iv < 0 || iu >= alpha.width || iv >= alpha.height || alpha.data[iv * alpha.width + iu] === 0) continue;
        touched[y * width + x] = 1;
        inside++;
        const p = 3 * (y * width + x);
        if (Math.abs(result.image.data[p] - original.image.data[p]) > 8) changed++;
      }
    // Every chosen face was edited: a good part of its area changed.
    expect(changed / inside).toBeGreaterThan(0.2);
  }
  let outside = 0,
    changedOutside = 0;
  for (let i = 0; i < width * height; i++) {
    if (touched[i]) continue;
    outside++;
    const p = 3 * i;
    if (
      result.image.data[p] !== original.image.data[p] ||
      result.image.data[p + 1] !== original.image.data[p + 1] ||
      result.image.data[p + 2] !== original.image.data[p + 2]
    )
      changedOutside++;
  }
  expect(outside).toBeGreaterThan(width * height * 0.5);
  expect(changedOutside).toBe(0);
});

it('deletes an asset with its representations and the results of the edits that used it', async () => {
  const edit = await service.submit(faceSwap(sample3, sample1));
  const done = await settled(edit.id);
  expect(done.status).toBe('completed');
  const removed = await service.deleteAssetFor('key_test', sample1, true, async () => false);
  expect(removed.representations).toBeGreaterThanOrEqual(2);
  expect(await blobs.head(done.result!.key)).toBeNull();
  expect(await blobs.head(assetKey(sample1))).toBeNull();
  expect(await service.get(edit.id, 'key_test')).toBeNull();
});

it('closes workers cleanly and only once', async () => {
  const first = running.close();
  expect(running.close()).toBe(first);
  await first;
  expect(running.ready()).toBe(false);
  expect(running.workers.every((worker) => !worker.isRunning())).toBe(true);
});
