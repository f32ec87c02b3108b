/**
 * The embedded mode (`npm start`) in one process: its workers include the video tier, so a face swap onto a
 * clip uploaded over HTTP completes locally with the clip's frames and audio.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { samplePhoto } from '@facex/analysis/testing';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { probeVideo, videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';
import { ApiClient } from '../testing/api-client';
import { startEmbedded, type RunningEmbedded } from './embedded';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;

describeWithFfmpeg('the embedded mode', () => {
  const prefix = testPrefix('embedded');
  let dir: string;
  let embedded: RunningEmbedded;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-embedded-'));
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      METRICS_PORT: 'off',
      FACEX_PLAYGROUND: 'off',
      FACEX_STORAGE_DIR: join(dir, 'data'),
      FACEX_QUEUE_PREFIX: prefix,
      ANALYZER_THREADS: '1',
    };
    embedded = await startEmbedded(env, () => undefined);
  });

  afterAll(async () => {
    await embedded?.close();
    const redis = new IORedis(TEST_REDIS_URL);
    await deleteNamespace(redis, prefix);
    await redis.quit();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs a video edit to completion in its one process', async () => {
    const clipPath = join(dir, 'clip.mp4');
    await makeTestClip(clipPath, { width: 320, height: 240, fps: { num: 8, den: 1 }, frames: 8 });
    const api = new ApiClient(embedded.url, embedded.apiKey);
    const [photo, clip] = await Promise.all([api.upload(samplePhoto('sample2.jpg')), api.upload(await readFile(clipPath))]);
    const { edit } = await api.create({ task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: photo }, { assetId: clip }] });
    const done = await api.settled(edit.id, 120_000);
    expect([done.status, done.error, done.progress]).toEqual(['completed', null, { stage: 'render', step: 8, steps: 8 }]);
    const result = await fetch(`${embedded.url}/v1/edits/${edit.id}/result`, { headers: api.headers });
    expect(result.headers.get('content-type')).toBe('video/mp4');
    const resultPath = join(dir, 'result.mp4');
    await writeFile(resultPath, Buffer.from(await result.arrayBuffer()));
    expect(await probeVideo(resultPath)).toMatchObject({ frameCount: 8, fps: { num: 8, den: 1 }, audio: { codec: 'aac' } });
  });
});
