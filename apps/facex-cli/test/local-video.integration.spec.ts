/**
 * The CLI's in-process mode with a video: `facex edit --target clip.mp4` stores the clip as the gateway would
 * (probed, limits checked) and runs the edit's chunks and mux on in-process video workers, so the generator and
 * the options a user names apply to a video as to a photo; the progress bar counts frames.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { createRedis } from '@facex/queue';
import { probeVideo, videoToolsAvailable } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'apps', 'facex-cli', 'src', 'main.ts');
const SOURCE = join(ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo', 'sample2.jpg');
const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;

describeWithFfmpeg('facex edit in-process with a video', () => {
  const prefix = testPrefix('cli-video');
  let dir: string;
  let clip: string;

  const facex = (...args: string[]) =>
    run(process.execPath, [require.resolve('tsx/cli'), CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        FACEX_URL: '',
        FACEX_API_KEY: '',
        REDIS_URL: TEST_REDIS_URL,
        FACEX_QUEUE_PREFIX: prefix,
        FACEX_STORAGE_DIR: join(dir, 'data'),
        ANALYZER_THREADS: '1',
      },
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-cli-video-'));
    clip = join(dir, 'clip.mp4');
    await makeTestClip(clip, { width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 12 });
  });

  afterAll(async () => {
    const redis = createRedis(TEST_REDIS_URL);
    await deleteNamespace(redis, prefix);
    await redis.quit();
    await rm(dir, { recursive: true, force: true });
  });

  it('face-swaps every frame of the clip through the video workers, keeping frame count, rate and audio', async () => {
    const output = join(dir, 'swap.mp4');
    const { stderr } = await facex('edit', '--task', 'face-swap', '--source', SOURCE, '--target', clip, '-o', output);
    expect(stderr).toMatch(/100% completed render 12\/12/);
    expect(stderr).toMatch(/wrote .*swap\.mp4 \(generator warp, no model pack\)/);
    const [input, written] = await Promise.all([probeVideo(clip), probeVideo(output)]);
    expect([written.frameCount, written.fps, written.width, written.height, written.audio !== null]).toEqual([
      input.frameCount,
      input.fps,
      input.width,
      input.height,
      true,
    ]);
  }, 180_000);

  it('exits 1 naming an input file that does not exist, before the services have finished starting, without crashing', async () => {
    const failure = await facex('edit', '--task', 'reenact', '--source', join(dir, 'missing.jpg'), '--driving', clip, '-o', join(dir, 'no.mp4')).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/^facex: .*ENOENT.*missing\.jpg/m);
  }, 120_000);

  it('refuses the diffusion generator where no pack is served, as the API does, exiting 1 with the problem', async () => {
    const failure = await facex(
      'edit',
      '--task',
      'face-swap',
      '--source',
      SOURCE,
      '--target',
      clip,
      '-o',
      join(dir, 'no.mp4'),
      '--generator',
      'diffusion',
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/options\.generator/);
  }, 120_000);
});
