/**
 * Relative driving with FORD and the warp generator: a driver whose face is turned (a 15° camera roll; FORD
 * reads about 12° on it) on every frame re-poses a photo whose head is upright. Relative (the default), the first output frame keeps
 * the photo's own roll, FORD-measured; absolute, it takes the driver's turn.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { fpsValue, recipeFromPreset, type Task } from '@facex/contracts';
import { decodeImage, FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import type { RgbImage } from '@facex/imaging';
import { WarpGenerator } from '@facex/warp';
import { decodeFrames, findDrivingReference, probeVideo, videoToolsAvailable, VideoFaceEditor, withDrivingMotion, type VideoFaceEditorOptions } from './index';
import { makeTestClip, type CameraPath } from './testing';

const describeWithFfmpeg = videoToolsAvailable() ? describe : describe.skip;
const FRAMES = 4;
/** The camera holds a 15° roll over the largest face of the driver's photo. */
const TURNED: CameraPath = {
  zoom: [1.6, 1.6],
  centre: [
    [0.5, 0.45],
    [0.5, 0.45],
  ],
  rotationDegrees: [15, 15],
};

const png = (frame: RgbImage): Promise<Buffer> =>
  sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png()
    .toBuffer();

describeWithFfmpeg('a video driving a photo, relative or absolute', () => {
  let dir: string;
  let analyzer: FaceAnalyzer;
  let warp: WarpGenerator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'facex-driving-'));
    [analyzer, warp] = await Promise.all([FaceAnalyzer.open({ workers: 2 }), WarpGenerator.open({ workers: 2 })]);
  });

  afterAll(async () => {
    await Promise.all([analyzer?.close(), warp?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the photo's own head roll on the first frame relatively, and takes the driver's absolutely", async () => {
    const clip = join(dir, 'turned.mp4');
    await makeTestClip(clip, { photo: 'sample1.jpg', width: 320, height: 240, fps: { num: 10, den: 1 }, frames: FRAMES, path: TURNED, toneHz: null });
    const probe = await probeVideo(clip);
    const frames: Array<{ frame: RgbImage; index: number }> = [];
    await decodeFrames(clip, { startFrame: 0, frameCount: FRAMES }, probe, async (frame, index) => void frames.push({ frame, index }));
    const photoBytes = await sharp(samplePhoto('sample2.jpg')).resize({ width: 640 }).jpeg().toBuffer();
    const source = await analyzer.analyzeWithCrop(photoBytes, 0);
    const photo = (await decodeImage(photoBytes)).image;
    const rollOf = async (frame: RgbImage): Promise<number> => (await analyzer.analyze(await png(frame), 0)).motion.pose.roll;

    const firstFrameRoll = async (task: Task): Promise<{ roll: number; options: VideoFaceEditorOptions }> => {
      const base = {
        analyzer,
        renderer: warp,
        recipe: recipeFromPreset(task),
        inputs: [{ ...source, image: photo }, null],
        fps: fpsValue(probe.fps),
        faceIndex: 0,
        smoothing: true,
        tracking: true,
      };
      const options = await withDrivingMotion(base, clip, probe);
      const [first] = await new VideoFaceEditor(options).edit(frames);
      return { roll: await rollOf(first), options };
    };
    const photoRoll = source.representation.motion.pose.roll;
    const driverRoll = await rollOf(frames[0].frame);
    // The driver is turned far from the photo's pose: the two modes must tell apart.
    expect(Math.abs(driverRoll - photoRoll)).toBeGreaterThan(12);

    const relative = await firstFrameRoll({ preset: 'reenact', source: 0, driving: 1 });
    const absolute = await firstFrameRoll({ preset: 'reenact', source: 0, driving: 1, motion: 'absolute' });
    // Relative is the default, and takes its reference from the driver's first frame (as the track reads it: from
    // the detection's mesh, a read ≈ 1° of roll off FORD's read from the detection itself).
    expect(Math.abs((relative.options.drivingReference?.roll ?? Infinity) - driverRoll)).toBeLessThan(1.5);
    expect(absolute.options.drivingReference).toBeUndefined();
    expect(Math.abs(relative.roll - photoRoll)).toBeLessThan(4);
    // Absolute: turned with the driver (the warp poses the photo's own face fit, so not to the degree).
    expect(Math.abs(absolute.roll - photoRoll)).toBeGreaterThan(10);
    expect(Math.abs(absolute.roll - driverRoll)).toBeLessThan(Math.abs(absolute.roll - photoRoll));
  }, 240_000);

  it("looks for the reference no further than a chunk's end: a chunk whose frames show no face yet has none", async () => {
    const clip = join(dir, 'late-face.mp4');
    await makeTestClip(clip, { photo: 'sample1.jpg', width: 320, height: 240, fps: { num: 10, den: 1 }, frames: 6, faceless: [0, 3], toneHz: null });
    const probe = await probeVideo(clip);
    const photoBytes = await sharp(samplePhoto('sample2.jpg')).resize({ width: 640 }).jpeg().toBuffer();
    const source = await analyzer.analyzeWithCrop(photoBytes, 0);
    const options: VideoFaceEditorOptions = {
      analyzer,
      renderer: warp,
      recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }),
      inputs: [{ ...source, image: (await decodeImage(photoBytes)).image }, null],
      fps: fpsValue(probe.fps),
      faceIndex: 0,
      smoothing: true,
      tracking: true,
    };
    expect(await findDrivingReference(options, clip, probe, 3)).toBeNull();
    expect(await findDrivingReference(options, clip, probe, 6)).not.toBeNull();
  }, 120_000);
});
