/**
 * A video face swap through the distributed pipeline: one BullMQ flow (`video-mux` ← `video-chunk` × 3) on the
 * `video` queue, real Redis, the filesystem blob store, ffmpeg, FORD and the warp generator.
 * - A video worker (a real child process) is killed with SIGKILL mid-clip: only the chunk it was running is
 *   run again (by an in-process worker, once the lock expires); the chunks stored before are not; the result
 *   has the clip's frame count, rate, duration and audio, and the edit completes with one terminal event.
 * - A canceled edit stops: the running chunk stops at its next batch, no chunk is stored afterwards, no result.
 * - A reenact driven by a clip that rolls the head: the result has the driver's frame count, rate and audio at
 *   the photo's size, and the photo's head, measured by FORD, rolls as the driver's does.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowProducer, Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { newEditRecord, recipeFromPreset, type EditEventType, type EditRecord, type Task } from '@facex/contracts';
import { createRepositories, EditLifecycle, startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { QUEUE_NAMES, createRedis, createVideoFlow, removeWaitingVideoJobs } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { FsBlobStore, assetKey, videoChunkKey, videoResultKey } from '@facex/storage';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import sharp from 'sharp';
import type { RgbImage } from '@facex/imaging';
import { until } from '@facex/gateway-http/testing';
import { decodeFrames, followTrack, NEW_TRACK, probeVideo, videoToolsAvailable, type TrackState } from '@facex/video';
import { makeTestClip, type CameraPath } from '@facex/video/testing';
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

  async function submit(task: Task = { preset: 'face-swap', source: 0, target: 1 }, [photo, clip, path] = [photoSha, clipSha, clipPath]): Promise<EditRecord> {
    const edit = newEditRecord({
      tenant: 'key_video',
      recipe: recipeFromPreset(task),
      inputs: [
        { assetId: photo, faceIndex: 0 },
        { assetId: clip, faceIndex: 0 },
      ],
      options: { generator: 'warp', steps: 1, guidance: 1, resolution: 512 },
    });
    await repositories().edits.create(edit);
    await createVideoFlow(flowProducer, edit, await probeVideo(path), CHUNK_SECONDS, { prefix });
    return edit;
  }

  async function store(bytes: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(assetKey(sha), bytes);
    return sha;
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
    [photoSha, clipSha] = await Promise.all([store(samplePhoto('sample2.jpg')), store(await readFile(clipPath))]);
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
    expect(jobs.get(1)?.returnvalue).toEqual({ chunkKey: videoChunkKey(edit.id, 1), reused: false, generator: 'warp', modelPack: null });

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

  // The edit, then FORD on every frame of both clips to measure them: more than the default test time.
  it('re-poses the photo with a driving clip: its frame count, rate and audio, and its head roll', async () => {
    workers ??= await startInProcessWorkers();
    const drivingPath = join(dir, 'driving.mp4');
    // The camera rolls 16° over the clip and stays centred on the largest face.
    const roll: CameraPath = {
      zoom: [1.6, 1.6],
      centre: [
        [0.5, 0.45],
        [0.5, 0.45],
      ],
      rotationDegrees: [-8, 8],
    };
    await makeTestClip(drivingPath, { photo: 'sample1.jpg', width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 16, path: roll });
    // The photo at a small size: the result is the photo re-posed, at its size.
    const photo = await sharp(samplePhoto('sample2.jpg')).resize({ width: 640 }).jpeg().toBuffer();
    const [photoId, drivingId] = await Promise.all([store(photo), store(await readFile(drivingPath))]);
    const edit = await submit({ preset: 'reenact', source: 0, driving: 1 }, [photoId, drivingId, drivingPath]);
    await until(async () => (await repositories().edits.get(edit.id))?.status === 'completed', 180_000, 'the reenact to complete');

    const resultPath = join(dir, 'reenact.mp4');
    await writeFile(resultPath, await blobs.get(videoResultKey(edit.id)));
    const [driver, output] = await Promise.all([probeVideo(drivingPath), probeVideo(resultPath)]);
    const { width, height } = await sharp(photo).metadata();
    expect(output).toMatchObject({ width, height: (height as number) + ((height as number) % 2), fps: driver.fps, frameCount: 16, audio: { codec: 'aac' } });
    expect(events.filter(([id]) => id === edit.id)).toEqual([[edit.id, 'edit.completed']]);

    // Head roll per frame (null: FORD found no face), measured on the tracked face by the pipeline's own track rule.
    const analyzer = await FaceAnalyzer.open({ workers: 1 });
    try {
      const rolls = async (path: string, size: { width: number; height: number }, start: TrackState): Promise<Array<number | null>> => {
        const frames: RgbImage[] = [];
        await decodeFrames(path, { startFrame: 0, frameCount: 16 }, size, async (frame) => void frames.push(frame));
        const poses: Array<number | null> = [];
        let track = start;
        for (const frame of frames) {
          const png = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
            .png()
            .toBuffer();
          const faces = await analyzer.analyzeAll(png).catch(() => []);
          const { index, state } = followTrack(
            track,
            faces.map((face) => face.detection.box),
            0,
            16,
          );
          track = state;
          poses.push(index === null ? null : faces[index].motion.pose.roll);
        }
        return poses;
      };
      const driving = await rolls(drivingPath, driver, NEW_TRACK);
      const photoFace = await analyzer.analyze(photo, 0);
      const driven = await rolls(resultPath, output, { box: photoFace.detection.box, missed: 0 });
      // The driver rolls by about the camera's 16°; the photo's head takes the driver's roll in every frame where
      // FORD finds it (up to a constant: the warp poses the photo's own face fit), the photo alone would not roll.
      const both = driving.flatMap((roll, i) => (roll !== null && driven[i] !== null ? [[roll, driven[i] as number]] : []));
      expect(both.length).toBeGreaterThanOrEqual(10);
      const span = (values: number[]) => Math.max(...values) - Math.min(...values);
      expect(span(both.map(([roll]) => roll))).toBeGreaterThan(12);
      expect(span(both.map(([roll, reposed]) => reposed - roll))).toBeLessThan(6);
    } finally {
      await analyzer.close();
    }
  }, 360_000);
});
