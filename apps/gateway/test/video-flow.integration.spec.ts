/**
 * A video face swap through the distributed pipeline: one BullMQ flow (`video-mux` ← `video-chunk` × 3) on the
 * `video` queue, real Redis, the filesystem blob store, ffmpeg, FORD and the warp generator.
 * - A video worker (a real child process) is killed with SIGKILL mid-clip: only the chunk it was running is
 *   run again (by an in-process worker, once the lock expires); the chunks stored before are not; the result
 *   has the clip's frame count, rate, duration and audio, and the edit completes with one terminal event.
 * - A canceled edit stops: the running chunk stops at its next batch, no chunk is stored afterwards, no result.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowProducer, Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { newEditRecord, recipeFromPreset, type EditEventType, type EditRecord } from '@facex/contracts';
import { createRepositories, EditLifecycle, startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES, createRedis, createVideoFlow, removeWaitingVideoJobs } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { FsBlobStore, assetKey, videoChunkKey, videoResultKey } from '@facex/storage';
import { samplePhoto } from '@facex/analysis/testing';
import { until } from '@facex/gateway-http/testing';
import { probeVideo, videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;
/** 26 frames at 10 fps in chunks of 1 s: 10 + 10 + 6 frames. */
const CHUNK_SECONDS = 1;
/**
 * The killed worker's lock lapses after 2 s; the in-process worker checks for stalled jobs every second but
 * keeps the default lock for its own jobs (a busy test machine must not make it lose them).
 */
const KILLED_LOCK_MS = 2_000;
const STALLED_INTERVAL_MS = 1_000;

describeWithFfmpeg('video edits through the distributed pipeline', () => {
  const prefix = testPrefix('video-flow');
  // Opened in beforeAll: a suite skipped for want of ffmpeg opens nothing.
  let redis: Redis;
  let flowProducer: FlowProducer;
  let videoQueue: Queue;
  const events: Array<[string, EditEventType]> = [];
  const spawned: WorkerProcess[] = [];
  let dir: string;
  let blobs: FsBlobStore;
  let clipPath: string;
  let photoSha: string;
  let clipSha: string;
  let workers: RunningWorkers | undefined;

  const repositories = () => createRepositories(redis, prefix, blobs);
  const chunkJobs = async (editId: string): Promise<Job[]> =>
    (await videoQueue.getJobs(['active', 'waiting', 'waiting-children', 'delayed', 'completed', 'failed', 'prioritized'])).filter(
      (job) => job.name === 'video-chunk' && (job.data as { editId: string }).editId === editId,
    );

  async function submit(): Promise<EditRecord> {
    const edit = newEditRecord({
      tenant: 'key_video',
      recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
      inputs: [
        { assetId: photoSha, faceIndex: 0 },
        { assetId: clipSha, faceIndex: 0 },
      ],
      options: { generator: 'warp', steps: 1, guidance: 1, resolution: 512 },
    });
    await repositories().edits.create(edit);
    await createVideoFlow(flowProducer, edit, await probeVideo(clipPath), CHUNK_SECONDS, { prefix });
    return edit;
  }

  function startInProcessWorkers(): Promise<RunningWorkers> {
    return startWorkers({
      redisUrl: TEST_REDIS_URL,
      prefix,
      blobs,
      tiers: ['video'],
      analyzerThreads: 1,
      videoWarpThreads: 1,
      events: { emit: async (edit, type) => void events.push([edit.id, type]) },
      worker: { concurrency: { video: 1 }, stalledIntervalMs: STALLED_INTERVAL_MS },
    });
  }

  beforeAll(async () => {
    redis = createRedis(TEST_REDIS_URL);
    flowProducer = new FlowProducer({ connection: redis, prefix });
    videoQueue = new Queue(QUEUE_NAMES.video, { connection: redis, prefix });
    dir = await mkdtemp(join(tmpdir(), 'facex-video-flow-'));
    blobs = new FsBlobStore(join(dir, 'blobs'));
    clipPath = join(dir, 'clip.mp4');
    await makeTestClip(clipPath, { width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 26 });
    const [photo, clip] = [samplePhoto('sample2.jpg'), await readFile(clipPath)];
    [photoSha, clipSha] = [photo, clip].map((bytes) => createHash('sha256').update(bytes).digest('hex'));
    await Promise.all([blobs.put(assetKey(photoSha), photo), blobs.put(assetKey(clipSha), clip)]);
  });

  afterAll(async () => {
    await Promise.all(spawned.map((worker) => worker.kill9()));
    await workers?.close();
    await Promise.all([flowProducer?.close(), videoQueue?.close()]);
    if (redis) {
      await deleteNamespace(redis, prefix);
      await redis.quit();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('survives a kill -9 mid-clip by running only the killed chunk again, and keeps frames, rate, duration and audio', async () => {
    const worker = await spawnWorker('video', {
      REDIS_URL: TEST_REDIS_URL,
      FACEX_QUEUE_PREFIX: prefix,
      FACEX_STORAGE_DIR: join(dir, 'blobs'),
      ANALYZER_THREADS: '1',
      FACEX_WARP_THREADS: '1',
      WORKER_LOCK_DURATION_MS: String(KILLED_LOCK_MS),
      WORKER_STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS),
    });
    spawned.push(worker);
    await worker.ready(60_000);
    const edit = await submit();
    // Kill inside the second chunk: the first stored, the second's first batch of frames done.
    await until(
      async () => {
        const step = (await repositories().edits.get(edit.id))?.progress?.step ?? 0;
        return step > 10 && step < 20;
      },
      90_000,
      'the second chunk to be half done',
    );
    const killedAt = Date.now();
    await worker.kill9();
    workers = await startInProcessWorkers();
    await until(async () => (await repositories().edits.get(edit.id))?.status === 'completed', 120_000, 'the edit to complete');

    const jobs = new Map((await chunkJobs(edit.id)).map((job) => [(job.data as { chunk: { index: number } }).chunk.index, job]));
    expect([...jobs.keys()].sort()).toEqual([0, 1, 2]);
    // The first chunk ran once, before the kill; the killed one ran again afterwards and stored its own frames.
    expect(jobs.get(0)?.finishedOn).toBeLessThan(killedAt);
    expect(jobs.get(1)?.finishedOn).toBeGreaterThan(killedAt);
    expect(jobs.get(1)?.returnvalue).toEqual({ chunkKey: videoChunkKey(edit.id, 1), reused: false });

    const record = await repositories().edits.get(edit.id);
    expect(record?.result).toMatchObject({ key: videoResultKey(edit.id), contentType: 'video/mp4', generator: 'warp' });
    const resultPath = join(dir, 'result.mp4');
    await writeFile(resultPath, await blobs.get(videoResultKey(edit.id)));
    const [input, output] = await Promise.all([probeVideo(clipPath), probeVideo(resultPath)]);
    expect(output).toMatchObject({ width: 320, height: 240, fps: input.fps, frameCount: input.frameCount, audio: { codec: 'aac' } });
    expect(Math.abs(output.durationSeconds - input.durationSeconds)).toBeLessThanOrEqual(0.1 + 1e-3);
    expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.completed']]);
    // The chunks are gone once joined.
    expect(await blobs.head(videoChunkKey(edit.id, 0))).toBeNull();
  });

  it('stops every chunk of a canceled edit and leaves no result', async () => {
    workers ??= await startInProcessWorkers();
    const edit = await submit();
    await until(
      async () => (await chunkJobs(edit.id)).some((job) => job.processedOn !== undefined && job.finishedOn === undefined),
      60_000,
      'a chunk to start',
    );
    const canceledAt = Date.now();
    const { edits } = repositories();
    await new EditLifecycle(edits, { emit: async (record, type) => void events.push([record.id, type]) }).cancel(edit.id);
    await removeWaitingVideoJobs(videoQueue, edit.id);
    await until(
      async () => {
        const jobs = await chunkJobs(edit.id);
        const states = await Promise.all(jobs.map((job) => job.getState()));
        return states.every((state) => state === 'failed' || state === 'completed' || state === 'unknown');
      },
      60_000,
      'every chunk to stop',
    );
    expect((await edits.get(edit.id))?.status).toBe('canceled');
    expect(await blobs.head(videoResultKey(edit.id))).toBeNull();
    // Nothing rendered after the cancel: no chunk finished its frames later.
    const finishedAfter = (await chunkJobs(edit.id)).filter((job) => job.returnvalue && (job.finishedOn ?? 0) > canceledAt);
    expect(finishedAfter).toEqual([]);
    expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.canceled']]);
  });
});
