/**
 * `facex edit --task face-swap --source a.jpg --target clip.mp4 -o out.mp4`: a face swap or head swap onto a
 * video, and `facex edit --task reenact --source a.jpg --driving clip.mp4 -o out.mp4`: the photo re-posed by the
 * clip's motion, in-process, with the same functions the `video` workers run (probe and limits, chunks, FORD
 * with the face track and smoothing, the warp generator, mux with the clip's audio), the progress bar counting
 * frames.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fpsValue, planChunks, recipeFromPreset, type MotionMode } from '@facex/contracts';
import { decodeImage } from '@facex/analysis';
import { FaceAnalyzer } from '@facex/analysis';
import { WarpGenerator } from '@facex/warp';
import { checkVideoLimits, muxChunks, probeVideo, renderChunk, videoLimitsFromEnv, VideoFaceEditor, withDrivingMotion } from '@facex/video';
import { ProgressReporter, VIDEO_EDIT_SHARES } from './progress-bar';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv']);

/** Whether a face swap's target or a reenact's driving input is a video (by its file name: the probe decides what it really is). */
export function isVideoPath(path: string): boolean {
  return VIDEO_EXTENSIONS.has(extname(path).toLowerCase());
}

/** `videoPath`: the target of a face swap or head swap, or the driving clip of a reenact. */
export async function runLocalVideoEdit(
  task: 'face-swap' | 'head-swap' | 'reenact',
  sourcePath: string,
  videoPath: string,
  output: string,
  env: NodeJS.ProcessEnv,
  /** Reenact: how the clip drives the photo (default relative, see withDrivingMotion). */
  drivingMotion?: MotionMode,
): Promise<void> {
  const probe = await probeVideo(videoPath);
  checkVideoLimits(probe, videoLimitsFromEnv(env));
  const [analyzer, warp] = await Promise.all([FaceAnalyzer.open(), WarpGenerator.open()]);
  const progress = new ProgressReporter(VIDEO_EDIT_SHARES);
  const dir = await mkdtemp(join(tmpdir(), 'facex-cli-video-'));
  try {
    const photoBytes = await readFile(sourcePath);
    const source = await analyzer.analyzeWithCrop(photoBytes, 0);
    // A reenact's output frame is the photo, re-posed frame by frame at its own size.
    const photo = task === 'reenact' ? (await decodeImage(photoBytes)).image : undefined;
    const recipe = recipeFromPreset(
      task === 'reenact'
        ? { preset: task, source: 0, driving: 1, ...(drivingMotion ? { motion: drivingMotion } : {}) }
        : { preset: task, source: 0, target: 1 },
    );
    const options = {
      analyzer,
      renderer: warp,
      recipe,
      inputs: [{ ...source, image: photo }, null],
      fps: fpsValue(probe.fps),
      faceIndex: 0,
      smoothing: true,
      tracking: true,
    };
    const editor = new VideoFaceEditor(await withDrivingMotion(options, videoPath, probe));
    const chunks = planChunks(probe.frameCount, probe.fps);
    const paths = chunks.map((chunk) => join(dir, `chunk-${chunk.index}.mp4`));
    for (const chunk of chunks) {
      await renderChunk({
        sourcePath: videoPath,
        probe,
        chunk,
        outPath: paths[chunk.index],
        editor,
        outputSize: photo,
        batchSize: 4,
        onFrames: async (done) => progress.update({ status: 'running', progress: { stage: 'render', step: chunk.startFrame + done, steps: probe.frameCount } }),
      });
    }
    await muxChunks(paths, join(dir, 'chunks.txt'), videoPath, probe, output);
    progress.update({ status: 'completed', progress: { stage: 'render', step: probe.frameCount, steps: probe.frameCount } });
    progress.finish();
    process.stderr.write(`wrote ${output} (${probe.frameCount} frames at ${fpsValue(probe.fps).toFixed(3)} fps, generator warp, no model pack)\n`);
  } finally {
    progress.finish();
    await Promise.all([analyzer.close(), warp.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}
