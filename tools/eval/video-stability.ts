/**
 * `npm run eval:video-stability`: temporal stability of a video face swap, smoothed against frame by frame.
 * The clip is a slow zoom, pan and rotation over a still photo (sample1.jpg), so the face is rigid and every
 * motion in the clip is the known camera map. Two measures, on the same decoded frames, for the pipeline as the
 * video workers run it (every frame read from a mesh between detections, One-Euro smoothing, colour matched
 * once per shot) and for
 * a photo edit on every frame (a detection on each, no smoothing, colour per frame):
 *
 * - landmark jitter: the track's 468 mesh points mapped back to the photo through the camera map, their mean
 *   frame-to-frame motion (in frame pixels at that frame's zoom): zero for a perfect analysis;
 * - output flicker: each output frame warped back to the first frame's view (motion compensation), then the
 *   mean absolute difference of consecutive frames (0…255) inside the face (the first frame's face box, 80 %).
 *   The same on the input clip is the floor that resampling and the encoder leave.
 *
 * Writes docs/eval/video-stability.md (`-- --out PATH` elsewhere, `--frames N`).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fpsValue, recipeFromPreset, type Affine2D, type Box, type FaceRepresentation } from '@facex/contracts';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import { applyAffine, composeAffine, invertAffine, warpRgb, type RgbImage } from '@facex/imaging';
import { WarpGenerator } from '@facex/warp';
import { decodeFrames, probeVideo, VideoFaceEditor, type FrameAnalyzer } from '@facex/video';
import { cameraAffine, decodePhoto, makeTestClip, SLOW_ZOOM_PAN_ROTATE } from '@facex/video/testing';
import { describeMachine } from '../bench/stats';

const SIZE = { width: 480, height: 360 };
const FPS = { num: 15, den: 1 };
/** The video worker's batch of frames (VideoDeps.batchSize). */
const BATCH = 4;

function argValue(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** A full detection once per distinct frame: both runs see the very same detections where they detect. */
function memoized(analyzer: FaceAnalyzer): FrameAnalyzer {
  const cache = new Map<string, Promise<FaceRepresentation[]>>();
  return {
    analyzeAll: (bytes) => {
      const key = createHash('sha256').update(bytes).digest('hex');
      if (!cache.has(key)) cache.set(key, analyzer.analyzeAll(bytes));
      return cache.get(key) as Promise<FaceRepresentation[]>;
    },
    analyzeTracked: (bytes, previousMesh) => analyzer.analyzeTracked(bytes, previousMesh),
  };
}

function landmarkJitter(faces: ReadonlyArray<FaceRepresentation | null>, cameras: readonly Affine2D[]): number {
  const steps: number[] = [];
  for (let t = 1; t < faces.length; t++) {
    const [a, b] = [faces[t - 1], faces[t]];
    if (!a || !b) continue;
    const [toPhotoA, toPhotoB] = [invertAffine(cameras[t - 1]), invertAffine(cameras[t])];
    const scale = Math.hypot(cameras[t][0], cameras[t][3]);
    let sum = 0;
    for (let i = 0; i < a.landmarks.length / 3; i++) {
      const [ax, ay] = applyAffine(toPhotoA, a.landmarks[i * 3], a.landmarks[i * 3 + 1]);
      const [bx, by] = applyAffine(toPhotoB, b.landmarks[i * 3], b.landmarks[i * 3 + 1]);
      sum += Math.hypot(bx - ax, by - ay) * scale;
    }
    steps.push(sum / (a.landmarks.length / 3));
  }
  return steps.reduce((s, v) => s + v, 0) / steps.length;
}

function faceFlicker(frames: readonly RgbImage[], cameras: readonly Affine2D[], box: Box): number {
  const toFirst = frames.map((frame, t) => warpRgb(frame, composeAffine(cameras[0], invertAffine(cameras[t])), frame.width, frame.height));
  const [x0, y0] = [Math.round(box.x + box.width * 0.1), Math.round(box.y + box.height * 0.1)];
  const [x1, y1] = [Math.round(box.x + box.width * 0.9), Math.round(box.y + box.height * 0.9)];
  let total = 0;
  for (let t = 1; t < toFirst.length; t++) {
    let sum = 0;
    for (let y = y0; y < y1; y++) {
      for (let i = (y * SIZE.width + x0) * 3; i < (y * SIZE.width + x1) * 3; i++) sum += Math.abs(toFirst[t].data[i] - toFirst[t - 1].data[i]);
    }
    total += sum / ((x1 - x0) * (y1 - y0) * 3);
  }
  return total / (toFirst.length - 1);
}

/** The input clip's own figure beside the two runs'. */
function floorNote(raw: number, smoothed: number, input: number): string[] {
  if (smoothed >= input) return [`Above the input clip's floor: flicker ×${((smoothed - input) / (raw - input)).toFixed(2)}.`];
  return [
    'The smoothed output measures below the input clip itself: inside the face box it shows the rendered face, which',
    'carries none of the clip’s coding noise, so the clip’s floor is no lower bound for an edit that replaces the face.',
  ];
}

/** How the figures came down: measured on this clip when the pipeline changed (kept as they were measured). */
const HISTORY = [
  '## Where the flicker was (the change of December 2026)',
  '',
  'Before: frame by frame 0.244 px / 2.86, pipeline 0.109 px / 1.59 (×0.56, not met), input clip 1.38. Both runs’',
  'output frames were dumped and their motion-compensated differences looked at per frame and per pixel:',
  '',
  '- in steady state the pipeline flickered along the sharp edges of the swapped face (its outline on the far cheek,',
  '  the lids, the teeth): the 512 px crop was pasted onto the ≈ 45 px face by bilinear reads, which skip most of the',
  '  crop’s pixels and pick others at every sub-pixel move of the face (aliasing that crawls);',
  '- the first two frames of the track (7.9 and 2.7 per frame against ≈ 1.4 elsewhere): the rigid filter’s lag (≈ 0.9 px',
  '  behind the camera with β 0.1) building up;',
  '- the once-a-second checks (≈ 2 against ≈ 1.2 around them): the face taken from the detection’s read, a fraction of',
  '  a pixel off the reads from the mesh.',
  '',
  'Output flicker on the eval’s clip and measure, each change with those above it in its block:',
  '',
  '| change | frame by frame | pipeline | ratio |',
  '|---|---|---|---|',
  '| before | 2.87 | 1.59 | 0.56 |',
  '| a detection’s face read again from its own mesh | 2.87 | 1.49 | 0.52 |',
  '| rigid motion β 0.1 → 0.5 | 2.87 | 1.46 | 0.51 |',
  '| paste-back through the crop’s box-halved levels at log2 of its minification (trilinear), the pipeline as before otherwise | 2.30 | 1.00 | 0.44 |',
  '| check frames keep the read from the previous mesh when the detection confirms it | 2.30 | 0.95 | 0.41 |',
  '| a detection’s face read again from its own mesh | 2.30 | 0.91 | 0.40 |',
  '| rigid motion β 0.1 → 0.5 | 2.30 | 0.89 | 0.38 |',
  '| the levels one finer, log2 − 1 (as kept: the table above) | 2.55 | 1.10 | 0.43 |',
  '',
  'The levels at log2 blurred photo edits (self-reenactment 47.6 dB PSNR instead of 51.9); at log2 − 0.5 (2.48 / 1.00,',
  '×0.40) still 50.9 dB; at log2 − 1 photo edits are unchanged where the crop is shown at half its size or more',
  '(libs/imaging/src/paste-back.ts): `npm run eval -- --task face-swap --compare 5b3912e` and `--task reenact`',
  '(self-reenactment included) measure every figure as the code before the change.',
  '',
  'Tried and not kept (with the old paste-back, against 1.49 or 1.46): no smoothing of the rigid motion (1.62: its',
  'fit noise shows), rigid 8 Hz still and β 0.2 (1.51), the crop of the read from the mesh moved ahead by the last',
  'frame’s motion and a track’s second frame read twice (1.44 against 1.46; not tried again with the new paste-back);',
  'on the supersampled uncoded clip below, slower filters for the shape (0.05 Hz)',
  'or the masks (0.1 Hz) changed the pipeline’s figure by 0.02 at most.',
  '',
  'The measurement itself, tried before the change and left as it is: an uncoded clip (no H.264) lowers the floor to',
  '1.02 but hardly the runs (2.81 / 1.55); a clip rendered with 4 × 4 supersampling (no aliasing of the photo’s',
  'texture), uncoded: floor 0.63, runs 2.56 / 1.42; cubic instead of bilinear motion compensation raises all three',
  '(3.22 / 1.90 / 1.51: a sharper resampling keeps more of the clip’s noise).',
  '',
];

async function main(): Promise<void> {
  const frameCount = Number(argValue('frames', '45'));
  const out = resolve(argValue('out', 'docs/eval/video-stability.md'));
  const dir = await mkdtemp(join(tmpdir(), 'facex-stability-'));
  const [analyzer, warp] = await Promise.all([FaceAnalyzer.open(), WarpGenerator.open()]);
  try {
    const clip = join(dir, 'clip.mp4');
    await makeTestClip(clip, { ...SIZE, fps: FPS, frames: frameCount });
    const probe = await probeVideo(clip);
    const frames: Array<{ frame: RgbImage; index: number }> = [];
    await decodeFrames(clip, { startFrame: 0, frameCount }, SIZE, async (frame, index) => {
      frames.push({ frame, index });
    });
    const photo = await decodePhoto('sample1.jpg');
    const cameras = frames.map((_, t) => cameraAffine(photo, SIZE, SLOW_ZOOM_PAN_ROTATE, t / (frameCount - 1)));
    const source = await analyzer.analyzeWithCrop(samplePhoto('sample2.jpg'), 0);
    const frameAnalyzer = memoized(analyzer);
    const rows: Array<{ name: string; jitter: number; flicker: number }> = [];
    let faceBox: Box | null = null;
    for (const smoothing of [false, true]) {
      const editor = new VideoFaceEditor({
        analyzer: frameAnalyzer,
        renderer: warp,
        recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
        inputs: [source, null],
        fps: fpsValue(probe.fps),
        faceIndex: 0,
        smoothing,
        // The pipeline as it runs (tracking between detections) against a photo edit on every frame.
        tracking: smoothing,
      });
      // In batches, as a chunk is followed (tracking reads a batch from the mesh before it).
      const faces: Array<FaceRepresentation | null> = [];
      for (let at = 0; at < frames.length; at += BATCH) faces.push(...(await editor.follow(frames.slice(at, at + BATCH))));
      const found = faces.filter((face) => face !== null).length;
      if (found < frameCount * 0.9) throw new Error(`the track has a face in ${found} of ${frameCount} frames only`);
      faceBox ??= (faces[0] as FaceRepresentation).detection.box;
      const rendered = await editor.render(frames, faces);
      rows.push({
        name: smoothing ? 'pipeline (tracking, One-Euro, lighting and colour per shot)' : 'frame by frame',
        jitter: landmarkJitter(faces, cameras),
        flicker: faceFlicker(rendered, cameras, faceBox),
      });
      process.stderr.write(`${rows.at(-1)?.name}: jitter ${rows.at(-1)?.jitter.toFixed(3)} px, flicker ${rows.at(-1)?.flicker.toFixed(2)}\n`);
    }
    const inputFlicker = faceFlicker(
      frames.map((f) => f.frame),
      cameras,
      faceBox as Box,
    );
    const [raw, smoothed] = rows;
    const doc = [
      '# Video temporal stability (face swap, warp generator)',
      '',
      `\`npm run eval:video-stability\` (tools/eval/video-stability.ts) on ${describeMachine()}.`,
      '',
      `Clip: made at run time from sample1.jpg, ${SIZE.width}×${SIZE.height}, ${fpsValue(FPS)} fps, ${frameCount} frames, a slow zoom (2 → 2.3×), pan`,
      'and rotation (−3° → +3°) with the camera map known per frame; source face: sample2.jpg’s largest; target: the',
      'largest face of the first frame, followed by the track. Both runs use the same decoded frames. Frame by frame: a',
      'detection on every frame, no smoothing, the skin colour matched per frame (a photo edit on each frame). Pipeline:',
      'as the video workers run it: every frame of the track read from a mesh (tracking between detections), One-Euro',
      'smoothing, the lighting and the swapped face’s skin colour held per shot (libs/video/README.md). Both paste the',
      'edited crop back through its box-halved levels, the crop being shown at under half its size (libs/warp/README.md,',
      'step 4).',
      '',
      '- **landmark jitter**: the track’s 468 mesh points mapped back to the still photo through the known camera map;',
      '  mean frame-to-frame motion, in frame pixels (0 for a perfect analysis: the face is rigid).',
      '- **output flicker**: output frames warped back to the first frame’s view (motion compensation); mean absolute',
      '  difference of consecutive frames inside the face (central 80 % of the first frame’s face box), 0…255.',
      '',
      '| pipeline | landmark jitter (px) | output flicker (0…255) |',
      '|---|---|---|',
      ...rows.map((row) => `| ${row.name} | ${row.jitter.toFixed(3)} | ${row.flicker.toFixed(2)} |`),
      `| input clip (floor: resampling and encoding) | — | ${inputFlicker.toFixed(2)} |`,
      '',
      `Smoothed / frame by frame: jitter ×${(smoothed.jitter / raw.jitter).toFixed(2)}, flicker ×${(smoothed.flicker / raw.flicker).toFixed(2)}.`,
      ...floorNote(raw.flicker, smoothed.flicker, inputFlicker),
      '',
      `Target (the smoothed pipeline at least halves both): landmark jitter ${smoothed.jitter <= raw.jitter / 2 ? 'met' : 'not met'}; output flicker`,
      `${smoothed.flicker <= raw.flicker / 2 ? 'met' : 'not met'}.`,
      '',
      ...HISTORY,
    ].join('\n');
    await writeFile(out, doc);
    process.stderr.write(`wrote ${out}\n`);
  } finally {
    await Promise.all([analyzer.close(), warp.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
