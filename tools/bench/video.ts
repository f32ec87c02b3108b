/**
 * `npm run bench:video`: warp face swap on a 720p clip, the way the `video` tier runs it (decode, FORD with the
 * track and smoothing, warp, encode; one chunk at a time per worker process, each process with one FORD thread
 * and one warp thread).
 *
 * - frames per second per CPU core: one worker process over the benchmark's chunks, first with a full detection
 *   on every frame (before tracking), then with tracking (a detection on a chunk's first frame, once a second and
 *   where the track is lost; see VideoFaceEditorOptions.tracking): the speed-up of tracking, in the same run;
 * - speed-up with 2 worker processes against 1 (both tracking): the same chunks split between two processes;
 * - peak memory per worker (max RSS of the Node process) over chunks at the start, middle and end of a
 *   2-minute clip (the last chunk decodes through the whole clip); ffmpeg children are bounded by prlimit.
 *
 * The clip (sample1.jpg under the slow zoom, pan and rotation, 1280×720, 30 fps, 2 minutes, a tone) is made at
 * run time. `-- --seconds N` makes a shorter clip; `--chunks 0,1,60,119` picks the 1 s chunks timed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fpsValue, planChunks, recipeFromPreset, type VideoProbe } from '@facex/contracts';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import { WarpGenerator } from '@facex/warp';
import { probeVideo, renderChunk, VideoFaceEditor } from '@facex/video';
import { makeTestClip } from '@facex/video/testing';
import { describeMachine } from './stats';

const CHUNK_SECONDS = 1;

interface WorkerReport {
  frames: number;
  seconds: number;
  /** CPU time of the worker process (its FORD and warp threads included, ffmpeg children not). */
  cpuSeconds: number;
  maxRssMiB: number;
}

function argValue(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** Worker mode: render the given chunks one after the other, report frames, time and peak memory. */
async function runWorker(clip: string, probe: VideoProbe, chunkIndexes: number[], outDir: string, tracking: boolean): Promise<WorkerReport> {
  const [analyzer, warp] = await Promise.all([FaceAnalyzer.open({ workers: 1 }), WarpGenerator.open({ workers: 1 })]);
  try {
    const source = await analyzer.analyzeWithCrop(samplePhoto('sample2.jpg'), 0);
    const chunks = planChunks(probe.frameCount, probe.fps, CHUNK_SECONDS).filter((chunk) => chunkIndexes.includes(chunk.index));
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    let frames = 0;
    for (const chunk of chunks) {
      const editor = new VideoFaceEditor({
        analyzer,
        renderer: warp,
        recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
        inputs: [source, null],
        fps: fpsValue(probe.fps),
        faceIndex: 0,
        smoothing: true,
        tracking,
      });
      await renderChunk({ sourcePath: clip, probe, chunk, outPath: join(outDir, `chunk-${chunk.index}.mp4`), editor, batchSize: 2 });
      frames += chunk.frameCount;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return { frames, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await Promise.all([analyzer.close(), warp.close()]);
  }
}

function rates(report: WorkerReport): string {
  const perSecond = report.frames / report.seconds;
  return `${perSecond.toFixed(2)} frames/s wall, ${(report.frames / report.cpuSeconds).toFixed(2)} frames per CPU-second of the worker, peak RSS ${report.maxRssMiB.toFixed(0)} MiB`;
}

function spawnWorker(clip: string, probePath: string, chunks: number[], outDir: string, tracking = true): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, '--worker', clip, '--probe', probePath, '--chunks', chunks.join(','), '--out', outDir, '--tracking', String(tracking)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as WorkerReport) : reject(new Error(`worker exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) {
    const probe = JSON.parse(await readFile(argValue('probe', ''), 'utf8')) as VideoProbe;
    const chunks = argValue('chunks', '').split(',').map(Number);
    const report = await runWorker(argValue('worker', ''), probe, chunks, argValue('out', tmpdir()), argValue('tracking', 'true') === 'true');
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const seconds = Number(argValue('seconds', '120'));
  const dir = await mkdtemp(join(tmpdir(), 'facex-bench-video-'));
  try {
    const clip = join(dir, 'clip.mp4');
    process.stderr.write(`making a ${seconds} s 1280×720 30 fps clip…\n`);
    await makeTestClip(clip, { width: 1280, height: 720, fps: { num: 30, den: 1 }, frames: seconds * 30 });
    const probe = await probeVideo(clip);
    const probePath = join(dir, 'probe.json');
    await writeFile(probePath, JSON.stringify(probe));
    const last = Math.ceil(probe.frameCount / (CHUNK_SECONDS * 30)) - 1;
    const chunks = argValue('chunks', `0,1,${Math.floor(last / 2)},${last}`)
      .split(',')
      .map(Number);
    const detecting = await spawnWorker(clip, probePath, chunks, dir, false);
    process.stderr.write(`1 process, a detection on every frame: ${JSON.stringify(detecting)}\n`);
    const one = await spawnWorker(clip, probePath, chunks, dir);
    process.stderr.write(`1 process, tracking: ${JSON.stringify(one)}\n`);
    const halves = [chunks.filter((_, i) => i % 2 === 0), chunks.filter((_, i) => i % 2 === 1)];
    const wallStart = Date.now();
    const two = await Promise.all(halves.map((half) => spawnWorker(clip, probePath, half, dir)));
    const twoSeconds = (Date.now() - wallStart) / 1000;
    process.stderr.write(`2 processes: ${JSON.stringify(two)} in ${twoSeconds.toFixed(1)} s\n`);
    const fpsOne = one.frames / one.seconds;
    const fpsTwo = two.reduce((sum, report) => sum + report.frames, 0) / twoSeconds;
    const lines = [
      `machine: ${describeMachine()}`,
      `clip: ${probe.width}×${probe.height}, ${fpsValue(probe.fps)} fps, ${probe.durationSeconds.toFixed(1)} s, ${probe.frameCount} frames; chunks timed (1 s each): ${chunks.join(', ')}`,
      `load average at the end: ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
      `1 worker process (1 FORD + 1 warp thread), a detection on every frame: ${rates(detecting)}`,
      `1 worker process (1 FORD + 1 warp thread), tracking: ${rates(one)}; tracking's speed-up ×${(one.frames / one.seconds / (detecting.frames / detecting.seconds)).toFixed(2)} (wall), ×${(one.frames / one.cpuSeconds / (detecting.frames / detecting.cpuSeconds)).toFixed(2)} (per CPU-second)`,
      `2 worker processes: ${fpsTwo.toFixed(2)} frames/s (speed-up ×${(fpsTwo / fpsOne).toFixed(2)}), peak RSS ${two.map((r) => r.maxRssMiB.toFixed(0)).join(' and ')} MiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
