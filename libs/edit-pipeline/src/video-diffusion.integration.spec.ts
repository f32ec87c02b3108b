/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
/**
 * A video face swap with the diffusion generator through real BullMQ workers in-process (real Redis, the
 * filesystem blob store, ffmpeg, FORD with one thread, a tiny random-weight diffusion pack): the chunks go to the
 * gpu queue, each chunk's frames sample as one batch in the generator's batcher, and the result keeps the clip's
 * frame count and names the generator and pack that made it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { newEditRecord, recipeFromPreset, type EditRecord } from '@facex/contracts';
import { samplePhoto } from '@facex/analysis/testing';
import { buildDiffusionPack, DiffusionGenerator, type DiffusionPackManifest } from '@facex/diffusion';
import { QUEUE_NAMES, createRedis, createVideoFlow } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { FsBlobStore, assetKey, videoResultKey } from '@facex/storage';
import { probeVideo, videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';
import { createRepositories, startWorkers, type RunningWorkers } from './start-workers';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;
const STEPS = 2;
/** 8 frames at 10 fps in chunks of 0.4 s: two chunks of 4 frames, each one batch of the batcher's 4. */
const FRAMES = 8;
const CHUNK_SECONDS = 0.4;

describeWithFfmpeg('a video edit with the diffusion generator (tiny random pack)', () => {
  const prefix = testPrefix('video-diffusion');
  let redis: Redis;
  let flowProducer: FlowProducer;
  let gpuQueue: Queue;
  let dir: string;
  let blobs: FsBlobStore;
  let manifest: DiffusionPackManifest;
  let diffusion: DiffusionGenerator;
  let workers: RunningWorkers;

  async function store(bytes: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(assetKey(sha), bytes);
    return sha;
  }

  async function settled(editId: string): Promise<EditRecord> {
    const { edits } = createRepositories(redis, prefix, blobs);
    for (let waited = 0; waited < 120_000; waited += 200) {
      const record = await edits.get(editId);
      if (record && ['completed', 'failed', 'canceled'].includes(record.status)) return record;
      await sleep(200);
    }
    throw new Error(`edit ${editId} did not finish`);
  }

  beforeAll(async () => {
    redis = createRedis(TEST_REDIS_URL);
    flowProducer = new FlowProducer({ connection: redis, prefix });
    gpuQueue = new Queue(QUEUE_NAMES.gpu, { connection: redis, prefix });
    dir = await mkdtemp(join(tmpdir(), 'facex-video-diffusion-'));
    blobs = new FsBlobStore(join(dir, 'blobs'));
    manifest = await buildDiffusionPack({ outDir: join(dir, 'pack'), size: 'tiny', seed: 5 });
    // No wait for late jobs: a chunk's frames share the U-Net calls because they reach the batcher together.
    diffusion = await DiffusionGenerator.open({
      packDir: join(dir, 'pack'),
      allowRandomWeights: true,
      threads: 1,
      maxBatch: 4,
      maxWaitMs: 0,
      verifyHashes: false,
    });
    workers = await startWorkers({
      redisUrl: TEST_REDIS_URL,
      prefix,
      blobs,
      tiers: ['gpu', 'video'],
      generators: [diffusion],
      analyzerThreads: 1,
      // The warp must not render a diffusion edit's frames.
      videoRenderer: { render: () => Promise.reject(new Error('the warp rendered a diffusion chunk')) },
      events: { emit: async () => undefined },
    });
  });

  afterAll(async () => {
    await workers?.close();
    await diffusion?.close();
    await Promise.all([flowProducer?.close(), gpuQueue?.close()]);
    if (redis) {
      await deleteNamespace(redis, prefix);
      await redis.quit();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders each chunk's frames as one batch on the gpu tier and keeps the clip's frame count, naming the generator and pack", async () => {
    const clipPath = join(dir, 'clip.mp4');
    await makeTestClip(clipPath, { width: 320, height: 240, fps: { num: 10, den: 1 }, frames: FRAMES });
    const [photo, clip] = await Promise.all([store(samplePhoto('sample2.jpg')), store(await readFile(clipPath))]);
    const edit = newEditRecord({
      tenant: 'key_video',
      recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
      inputs: [
        { assetId: photo, faceIndex: 0 },
        { assetId: clip, faceIndex: 0 },
      ],
      // Unguided: one U-Net sample per frame and step, so a batch of 4 frames is a call of 4.
      options: { generator: 'diffusion', steps: STEPS, guidance: 1, resolution: 256, seed: 3 },
    });
    await createRepositories(redis, prefix, blobs).edits.create(edit);
    await createVideoFlow(flowProducer, edit, await probeVideo(clipPath), CHUNK_SECONDS, { prefix });

    const done = await settled(edit.id);
    expect([done.status, done.error]).toEqual(['completed', null]);
    expect(done.result).toMatchObject({ contentType: 'video/mp4', generator: 'diffusion', modelPack: { name: manifest.name, version: manifest.version } });
    const chunks = (await gpuQueue.getJobs(['completed'])).filter((job) => job.name === 'video-chunk');
    expect(chunks.map((job) => job.returnvalue.generator)).toEqual(['diffusion', 'diffusion']);
    // One call per step and chunk: each chunk's frames with the face sample together (the first chunk's 4, the
    // second's first 2: the clip's last two frames lose the face and pass through), not one call per frame.
    expect(await diffusion.stats()).toEqual({ predictorCalls: 2 * STEPS, samplesEvaluated: (4 + 2) * STEPS, largestCall: 4 });

    const resultPath = join(dir, 'result.mp4');
    await writeFile(resultPath, await blobs.get(videoResultKey(edit.id)));
    expect(await probeVideo(resultPath)).toMatchObject({ width: 320, height: 240, fps: { num: 10, den: 1 }, frameCount: FRAMES });
  });
});
