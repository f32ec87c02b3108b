import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fpsValue, planChunks, recipeFromPreset } from '@facex/contracts';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import type { RgbImage } from '@facex/imaging';
import { WarpGenerator } from '@facex/warp';
import { decodeFrames, muxChunks, probeVideo, renderChunk, videoToolsAvailable, VideoFaceEditor, type FrameRenderer } from './index';
import { makeTestClip } from './testing';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;

/** The largest mean absolute difference over 16 × 16 blocks: a swapped face stands out of the encoding noise. */
function largestBlockDifference(a: RgbImage, b: RgbImage): number {
  let largest = 0;
  for (let by = 0; by + 16 <= a.height; by += 16) {
    for (let bx = 0; bx + 16 <= a.width; bx += 16) {
      let sum = 0;
      for (let y = by; y < by + 16; y++) {
        for (let i = (y * a.width + bx) * 3; i < (y * a.width + bx + 16) * 3; i++) sum += Math.abs(a.data[i] - b.data[i]);
      }
      largest = Math.max(largest, sum / (16 * 16 * 3));
    }
  }
  return largest;
}

async function framesOf(path: string, frameCount: number): Promise<RgbImage[]> {
  const frames: RgbImage[] = [];
  await decodeFrames(path, { startFrame: 0, frameCount }, { width: 320, height: 240 }, async (frame) => {
    frames.push(frame);
  });
  return frames;
}

describeWithFfmpeg('face swap onto a video (FORD per frame, track, smoothing, warp)', () => {
  let dir: string;
  let analyzer: FaceAnalyzer;
  let warp: WarpGenerator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-video-swap-'));
    [analyzer, warp] = await Promise.all([FaceAnalyzer.open({ workers: 2 }), WarpGenerator.open({ workers: 2 })]);
  });

  afterAll(async () => {
    await Promise.all([analyzer?.close(), warp?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps frame count, rate, duration and audio, edits the face frames and passes faceless frames through', async () => {
    const clip = join(dir, 'clip.mp4');
    // Frames 12–15 show no face at all.
    await makeTestClip(clip, { width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 16, faceless: [12, 16] });
    const probe = await probeVideo(clip);
    const source = await analyzer.analyzeWithCrop(samplePhoto('sample2.jpg'), 0);
    let renders = 0;
    const renderer: FrameRenderer = { render: (recipe, inputs) => (renders++, warp.render(recipe, inputs)) };
    const editor = new VideoFaceEditor({
      analyzer,
      renderer,
      recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
      inputs: [source, null],
      fps: fpsValue(probe.fps),
      faceIndex: 0,
      smoothing: true,
      tracking: true,
    });
    const chunks = planChunks(probe.frameCount, probe.fps, 1);
    const paths = chunks.map((chunk) => join(dir, `chunk-${chunk.index}.mp4`));
    for (const chunk of chunks) await renderChunk({ sourcePath: clip, probe, chunk, outPath: paths[chunk.index], editor, batchSize: 4 });
    const out = join(dir, 'out.mp4');
    await muxChunks(paths, join(dir, 'chunks.txt'), clip, probe, out);

    const result = await probeVideo(out);
    expect(result).toMatchObject({ width: 320, height: 240, fps: probe.fps, frameCount: 16, audio: { codec: 'aac' } });
    expect(Math.abs(result.durationSeconds - probe.durationSeconds)).toBeLessThanOrEqual(0.1 + 1e-3);
    // The generator ran on the 12 frames with a face only.
    expect(renders).toBe(12);

    const [before, after] = await Promise.all([framesOf(clip, 16), framesOf(out, 16)]);
    const changes = before.map((frame, i) => largestBlockDifference(frame, after[i]));
    const faceless = Math.max(...changes.slice(12));
    // Faceless frames differ by the second encode only; swapped ones by a face.
    expect(faceless).toBeLessThan(4);
    expect(Math.min(...changes.slice(0, 12))).toBeGreaterThan(12);
  });
});
