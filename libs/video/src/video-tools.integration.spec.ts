import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFacexError, planChunks } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import {
  decodeFrames,
  encodeFrames,
  muxChunks,
  probeVideo,
  renderChunk,
  runVideoTool,
  videoToolsAvailable,
  VideoToolError,
  type FrameBatchEditor,
} from './index';
import { makeTestClip } from './testing';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;

/** Edits nothing, records what it was given. */
class PassThroughEditor implements FrameBatchEditor {
  readonly warmed: number[] = [];
  readonly edited: number[] = [];
  async warmUp(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<void> {
    this.warmed.push(...frames.map((f) => f.index));
  }
  async edit(frames: ReadonlyArray<{ frame: RgbImage; index: number }>): Promise<RgbImage[]> {
    this.edited.push(...frames.map((f) => f.index));
    return frames.map((f) => f.frame);
  }
}

describeWithFfmpeg('video tools (ffmpeg as a bounded child process)', () => {
  let dir: string;
  let clip: string;
  const fps = { num: 25, den: 1 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-video-'));
    clip = join(dir, 'clip.mp4');
    await makeTestClip(clip, { width: 160, height: 120, fps, frames: 70 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes the clip: size, frame rate, frame count, duration and the audio tone', async () => {
    const probe = await probeVideo(clip);
    expect(probe).toMatchObject({ container: 'mp4', videoCodec: 'h264', width: 160, height: 120, fps, frameCount: 70 });
    expect(probe.durationSeconds).toBeCloseTo(2.8, 1);
    expect(probe.audio).toMatchObject({ codec: 'aac', sampleRate: 44100 });
  });

  it('refuses a corrupt file and a text file with 4xx errors, not a crash', async () => {
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, (await readFile(clip)).subarray(0, 2_000));
    const text = join(dir, 'text.mp4');
    await writeFile(text, 'not a video at all');
    for (const path of [truncated, text]) {
      const error = await probeVideo(path).catch((e: unknown) => e);
      expect(isFacexError(error) && error.status >= 400 && error.status < 500).toBe(true);
    }
  });

  it('kills a tool that runs past its time limit', async () => {
    const started = Date.now();
    const error = await runVideoTool('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-f', 'null', '-'], {
      limits: { timeoutMs: 300 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoToolError);
    expect((error as VideoToolError).timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails a tool that needs more memory than its limit', async () => {
    const error = await runVideoTool('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=25', '-frames:v', '1', '-f', 'null', '-'], {
      limits: { maxMemoryBytes: 8 * 1024 ** 2 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoToolError);
  });

  it("reports the encoder's own failure (its time limit), not the closed pipe, when it dies while frames are fed", async () => {
    const frame = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
    const error = await encodeFrames(
      join(dir, 'never.mp4'),
      { width: 64, height: 64 },
      fps,
      async (write) => {
        for (;;) {
          await write(frame);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      { timeoutMs: 400 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoToolError);
    expect((error as VideoToolError).timedOut).toBe(true);
  });

  it('decodes exactly the frames of a range', async () => {
    const indices: number[] = [];
    const read = await decodeFrames(clip, { startFrame: 30, frameCount: 12 }, { width: 160, height: 120 }, async (frame, i) => {
      expect(frame.data.length).toBe(160 * 120 * 3);
      indices.push(i);
    });
    expect(read).toBe(12);
    expect(indices).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('renders every chunk and muxes them into a video with the same frame count, rate, duration and audio', async () => {
    const probe = await probeVideo(clip);
    const chunks = planChunks(probe.frameCount, probe.fps, 1);
    const editor = new PassThroughEditor();
    const paths = chunks.map((chunk) => join(dir, `chunk-${chunk.index}.mp4`));
    for (const chunk of chunks) await renderChunk({ sourcePath: clip, probe, chunk, outPath: paths[chunk.index], editor, batchSize: 4 });
    const out = join(dir, 'out.mp4');
    await muxChunks(paths, join(dir, 'chunks.txt'), clip, probe, out);
    const result = await probeVideo(out);
    expect(result).toMatchObject({ width: 160, height: 120, fps, frameCount: 70, audio: { codec: 'aac' } });
    expect(Math.abs(result.durationSeconds - probe.durationSeconds)).toBeLessThanOrEqual(1 / 25 + 1e-3);
    // Every frame edited once, in order; the half second before each later chunk only warmed the track up.
    expect(editor.edited).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(editor.warmed).toEqual([...Array.from({ length: 13 }, (_, i) => 12 + i), ...Array.from({ length: 13 }, (_, i) => 37 + i)]);
  });
});
