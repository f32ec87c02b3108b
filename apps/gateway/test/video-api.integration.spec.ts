/**
 * Video edits through the HTTP API with real Redis, s3rver as the blob store, ffmpeg and an in-process video
 * worker (FORD and the warp generator, one thread each): a clip is probed at upload and its probe returned; a
 * face swap onto it completes through the video flow, reporting frames over SSE, with one webhook, and its
 * result keeps the clip's frame count, rate, duration and audio; a video result refuses image encodings; a
 * reenact driven by the clip re-poses a photo frame by frame; a canceled video edit stops; deleting the edit removes its result. Refusals (a corrupt clip, one over a limit,
 * a video as the source photo, a driven photo over the frame-size limit) are problem+json and queue nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import sharp from 'sharp';
import type { EditResponse, VideoProbe } from '@facex/contracts';
import { startWorkers, type RunningWorkers } from '@facex/edit-pipeline';
import { samplePhoto } from '@facex/analysis/testing';
import { QUEUE_NAMES } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { assetKey, videoChunksPrefix, videoResultKey, type BlobInfo, type S3BlobStore } from '@facex/storage';
import { gatewayConfigFromEnv } from '@facex/gateway-core';
import { startGateway, type RunningGateway } from '@facex/gateway-http';
import {
  ApiClient,
  freePort,
  readEvents,
  restartableS3,
  startWebhookReceiver,
  testConfig,
  until,
  type RestartableS3,
  type WebhookReceiver,
} from '@facex/gateway-http/testing';
import { probeVideo, videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;
/** 10 frames at 10 fps (1 s) in chunks of half a second: two chunks. */
const CLIP = { width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 10 };
const TIERS = ['cpu', 'gpu', 'video'] as const;

describeWithFfmpeg('video edits through the HTTP API', () => {
  const prefix = testPrefix('video-api');
  let dir: string;
  let s3: RestartableS3;
  let blobs: S3BlobStore;
  let gateway: RunningGateway;
  let workers: RunningWorkers;
  let receiver: WebhookReceiver;
  let api: ApiClient;
  let redis: IORedis;
  let queues: Queue[];
  let clipPath: string;
  let clip: Buffer;

  const upload = (bytes: Uint8Array): Promise<Response> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'clip.mp4');
    return fetch(`${gateway.url}/v1/assets`, { method: 'POST', headers: api.headers, body: form });
  };
  const faceSwap = (source: string, target: string, options: Record<string, unknown> = {}) => ({
    task: { preset: 'face-swap', source: 0, target: 1 },
    inputs: [{ assetId: source }, { assetId: target }],
    options,
  });
  /** Jobs of every queue in every state: a refusal must leave these unchanged. */
  const queueCounts = async (): Promise<Array<Record<string, number>>> => Promise.all(queues.map((queue) => queue.getJobCounts()));
  const expectProblem = async (response: Response, status: number, code: string, field?: string): Promise<void> => {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    expect({ status: response.status, code: problem['code'], field: problem['field'] }).toEqual({ status, code, field });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-video-api-'));
    s3 = restartableS3(await freePort(), join(dir, 's3'));
    await s3.start();
    blobs = s3.store({ maxAttempts: 3 });
    // Room for the reenact test's photo (480 × 342): a driven photo answers to the frame-size limit too.
    const video = { ...gatewayConfigFromEnv({}).video, limits: { maxDurationSeconds: 10, maxPixels: 480 * 352, maxFrames: 100 }, chunkSeconds: 0.5 };
    const config = testConfig(prefix, { allowPrivateUrls: ['loopback'], webhookConcurrency: 1, video, rateLimit: { burst: 1_000, perSecond: 1_000 } });
    gateway = await startGateway({ config, blobs, generators: [{ name: 'reference', modelPack: null }], logLevels: false });
    workers = await startWorkers({ redisUrl: TEST_REDIS_URL, prefix, blobs, tiers: ['video'], analyzerThreads: 1, videoWarpThreads: 1 });
    const key = await gateway.services.context.apiKeys.issue('video');
    receiver = await startWebhookReceiver(key.webhookSecret);
    api = new ApiClient(gateway.url, key.key);
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = TIERS.map((tier) => new Queue(QUEUE_NAMES[tier], { connection: redis, prefix }));
    clipPath = join(dir, 'clip.mp4');
    await makeTestClip(clipPath, CLIP);
    clip = await readFile(clipPath);
  });

  afterAll(async () => {
    await gateway?.close();
    await workers?.close();
    await receiver?.close();
    await Promise.all((queues ?? []).map((queue) => queue.close()));
    blobs?.close();
    await s3?.stop();
    if (redis) {
      await deleteNamespace(redis, prefix);
      await redis.quit();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('probes a clip at upload and returns the probe with the asset', async () => {
    const response = await upload(clip);
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; video: VideoProbe };
    const expected = {
      contentType: 'video/mp4',
      width: 320,
      height: 240,
      video: { container: 'mp4', videoCodec: 'h264', fps: { num: 10, den: 1 }, frameCount: 10, audio: { codec: 'aac' } },
    };
    expect(created).toMatchObject(expected);
    expect(created.video.durationSeconds).toBeCloseTo(1, 1);
    const read = await fetch(`${gateway.url}/v1/assets/${created.id}`, { headers: api.headers });
    expect(await read.json()).toMatchObject({ ...expected, id: created.id, faceCount: null });
  });

  it('runs a face swap onto the clip through the video flow: frames over SSE, one webhook, the clip kept in frames, rate, duration and audio', async () => {
    const [photo, video] = await Promise.all([api.upload(samplePhoto('sample2.jpg')), api.upload(clip)]);
    const { edit } = await api.create(faceSwap(photo, video, { webhookUrl: receiver.url }));
    expect(edit.options.generator).toBe('warp');
    expect((await queues[2].getJobCounts('waiting', 'waiting-children', 'active'))['waiting-children']).toBe(1);
    const events = await readEvents(`${gateway.url}/v1/edits/${edit.id}/events`, api.headers);
    const done = await api.settled(edit.id, 120_000);
    expect([done.status, done.error]).toEqual(['completed', null]);
    expect(done.result).toMatchObject({ contentType: 'video/mp4', generator: 'warp', url: `/v1/edits/${edit.id}/result` });
    // Progress counts the clip's frames, rising frame by frame.
    const steps = events.map((event) => (event.data as unknown as EditResponse).progress).filter((progress) => progress !== null);
    expect(steps.every((progress) => progress.steps === CLIP.frames)).toBe(true);
    expect(new Set(steps.map((progress) => progress.step)).size).toBeGreaterThan(2);
    expect(events.at(-1)).toMatchObject({ event: 'status', data: { status: 'completed' } });

    const result = await fetch(`${gateway.url}${done.result?.url}`, { headers: api.headers });
    expect([result.status, result.headers.get('content-type')]).toEqual([200, 'video/mp4']);
    const resultPath = join(dir, 'result.mp4');
    await writeFile(resultPath, Buffer.from(await result.arrayBuffer()));
    const [input, output] = await Promise.all([probeVideo(clipPath), probeVideo(resultPath)]);
    expect(output).toMatchObject({ width: 320, height: 240, fps: input.fps, frameCount: input.frameCount, audio: { codec: 'aac' } });
    expect(Math.abs(output.durationSeconds - input.durationSeconds)).toBeLessThanOrEqual(1 / 10 + 1e-3);

    await receiver.waitFor(1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.events.map((event) => [event.type, event.data.editId])).toEqual([['edit.completed', edit.id]]);

    // Image encodings do not apply to a video result: the field that asked is named.
    await expectProblem(await fetch(`${gateway.url}/v1/edits/${edit.id}/result?format=jpeg`, { headers: api.headers }), 422, 'invalid_request', 'format');
    await expectProblem(
      await fetch(`${gateway.url}/v1/edits/${edit.id}/result`, { headers: { ...api.headers, accept: 'image/png' } }),
      406,
      'not_acceptable',
      'Accept',
    );
    const listed = (await (await fetch(`${gateway.url}/v1/edits?status=completed`, { headers: api.headers })).json()) as { items: EditResponse[] };
    expect(listed.items.find((item) => item.id === edit.id)?.result?.contentType).toBe('video/mp4');

    const deleted = await fetch(`${gateway.url}/v1/edits/${edit.id}`, { method: 'DELETE', headers: api.headers });
    expect(deleted.status).toBe(204);
    expect(await blobs.head(videoResultKey(edit.id))).toBeNull();
  });

  it("runs a reenact driven by the clip through the video flow: the photo re-posed at its own size, with the clip's frames, rate and audio", async () => {
    // A smaller photo keeps the test quick: the result takes the photo's size.
    const photoBytes = await sharp(samplePhoto('sample2.jpg')).resize({ width: 480 }).jpeg().toBuffer();
    const [photo, video] = await Promise.all([api.upload(photoBytes), api.upload(clip)]);
    const { edit } = await api.create({ task: { preset: 'reenact', source: 0, driving: 1 }, inputs: [{ assetId: photo }, { assetId: video }] });
    const done = await api.settled(edit.id, 120_000);
    expect([done.status, done.error, done.result?.contentType]).toEqual(['completed', null, 'video/mp4']);
    const result = await fetch(`${gateway.url}${done.result?.url}`, { headers: api.headers });
    const resultPath = join(dir, 'reenacted.mp4');
    await writeFile(resultPath, Buffer.from(await result.arrayBuffer()));
    const [input, output, size] = await Promise.all([probeVideo(clipPath), probeVideo(resultPath), sharp(photoBytes).metadata()]);
    // The photo's size, padded to even for H.264's 4:2:0 chroma.
    expect(output).toMatchObject({ fps: input.fps, frameCount: input.frameCount, audio: { codec: 'aac' } });
    expect([Math.abs(output.width - (size.width ?? 0)), Math.abs(output.height - (size.height ?? 0))].every((d) => d <= 1)).toBe(true);
  });

  it('stops every chunk of a video edit canceled over HTTP and keeps neither its chunks nor a result', async () => {
    const [photo, video] = await Promise.all([api.upload(samplePhoto('sample2.jpg')), api.upload(clip)]);
    const { edit } = await api.create(faceSwap(photo, video));
    const chunkKeys = [0, 1].map((index) => `${videoChunksPrefix(edit.id)}${index}.mp4`);
    // Canceled while the second chunk runs: the first is stored by then.
    // A stored chunk expires with the result TTL: a failed edit's chunks do not stay for good. (s3rver writes an
    // object's metadata after its bytes, so a head in between finds the chunk without its expiry: wait for both.)
    let firstChunk: BlobInfo | null = null;
    await until(async () => (firstChunk = await blobs.head(chunkKeys[0]))?.expiresAt != null, 60_000, 'the first chunk to be stored, expiring');
    expect(firstChunk!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const canceled = await fetch(`${gateway.url}/v1/edits/${edit.id}`, { method: 'DELETE', headers: api.headers });
    expect([canceled.status, ((await canceled.json()) as EditResponse).status]).toEqual([200, 'canceled']);
    await until(
      async () => {
        const counts = await queues[2].getJobCounts('active', 'waiting', 'waiting-children', 'delayed', 'prioritized');
        return Object.values(counts).every((count) => count === 0);
      },
      60_000,
      'every chunk to stop',
    );
    expect((await api.get(edit.id)).status).toBe('canceled');
    expect(await Promise.all([videoResultKey(edit.id), ...chunkKeys].map((key) => blobs.head(key)))).toEqual([null, null, null]);
    expect((await fetch(`${gateway.url}/v1/edits/${edit.id}`, { method: 'DELETE', headers: api.headers })).status).toBe(204);
    // Deleting the clip deletes it with this key's edits made from it.
    expect((await fetch(`${gateway.url}/v1/assets/${video}`, { method: 'DELETE', headers: api.headers })).status).toBe(204);
    expect(await blobs.head(assetKey(video))).toBeNull();
  });

  it('refuses a corrupt clip (422), a clip over a limit (413), a video as the source photo or where the task takes none (422), what a video edit cannot do (422) and a driven photo over the frame-size limit (413), queuing nothing', async () => {
    const before = await queueCounts();
    const photo = await api.upload(samplePhoto('sample1.jpg'));
    // The container's header survives, the frames do not.
    const corrupt = clip.subarray(0, 2048);
    await expectProblem(await upload(corrupt), 422, 'corrupt_video');
    const largePath = join(dir, 'large.mp4');
    await makeTestClip(largePath, { ...CLIP, width: 480, height: 360, frames: 3, toneHz: null });
    const large = await readFile(largePath);
    await expectProblem(await upload(large), 413, 'video_too_large');
    const video = await api.upload(clip);
    await expectProblem(await api.post(faceSwap(video, photo)), 422, 'invalid_recipe', 'inputs[0]');
    await expectProblem(await api.post(faceSwap(photo, video, { generator: 'reference' })), 422, 'invalid_recipe', 'options.generator');
    // The diffusion generator renders videos on the render workers: refused as for a photo where they serve no pack.
    await expectProblem(await api.post(faceSwap(photo, video, { generator: 'diffusion' })), 422, 'invalid_recipe', 'options.generator');
    await expectProblem(await api.post(faceSwap(photo, video, { output: { format: 'jpeg' } })), 422, 'invalid_recipe', 'options.output');
    await expectProblem(await api.post({ ...faceSwap(photo, video), faces: { mode: 'all' } }), 422, 'invalid_recipe', 'faces');
    const inpaintVideo = { task: { preset: 'inpaint', image: 0, regions: ['lips'], userMask: false }, inputs: [{ assetId: video }] };
    await expectProblem(await api.post(inpaintVideo), 422, 'invalid_recipe', 'inputs[0]');
    const reenactFromVideo = { task: { preset: 'reenact', source: 0, driving: 1 }, inputs: [{ assetId: video }, { assetId: photo }] };
    await expectProblem(await api.post(reenactFromVideo), 422, 'invalid_recipe', 'inputs[0]');
    // Every frame of a driven reenact has the photo's size: a 1920 × 1280 photo is over the frame-size limit.
    const drivenLargePhoto = { task: { preset: 'reenact', source: 0, driving: 1 }, inputs: [{ assetId: photo }, { assetId: video }] };
    await expectProblem(await api.post(drivenLargePhoto), 413, 'video_too_large', 'inputs[0]');
    const inpaint = { task: { preset: 'inpaint', image: 0, regions: [], userMask: true }, inputs: [{ assetId: photo }], mask: { assetId: video } };
    await expectProblem(await api.post(inpaint), 422, 'invalid_recipe', 'mask.assetId');
    expect(await queueCounts()).toEqual(before);
    // Nothing of the refused uploads was stored.
    const refused = [corrupt, large].map((bytes) => createHash('sha256').update(bytes).digest('hex'));
    expect(await Promise.all(refused.map((id) => blobs.head(assetKey(id))))).toEqual([null, null]);
    const assets = (await (await fetch(`${gateway.url}/v1/assets`, { headers: api.headers })).json()) as { items: Array<{ id: string }> };
    expect(assets.items.map((asset) => asset.id)).toEqual(expect.not.arrayContaining(refused));
  });
});
