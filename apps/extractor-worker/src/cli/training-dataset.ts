/**
 * `npm run training:dataset -- --out DIR <photo|clip|folder>...`: runs FORD (the extractor's FaceAnalyzer) over
 * photos and video clips and writes what training/ (PyTorch) reads:
 *   faces/<name>/representation.safetensors   each face's representation (the analyze CLI's --save format)
 *   faces/<name>/crop.png                     its 512 px aligned crop
 *   samples/<n>.safetensors                   one edit's assembled conditions and ground truth (training-samples.ts)
 *   dataset.json                              the token layout and the sample list
 * A photo gives one self head-swap per face (source = target: the reconstruction the paper trains). A clip is
 * cut into frames by ffmpeg (--fps, at most --frames); its pairs of frames of the same person (largest face)
 * give a head swap and a self-reenactment each, the later frame being the ground truth.
 *   Options: --resolution 256|512 (sample images, default 256), --fps 2, --frames 16, --pairs 8 (per clip),
 *   --min-gap 2 (frames), --min-similarity 0.6 (identity cosine).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { FaceAnalyzer } from '@facex/analysis';
import { encodeRepresentation, FacexError, isFacexError } from '@facex/contracts';
import { writeSafetensors } from '@facex/diffusion';
import { createLogger } from '@facex/logging';
import { framePairs, layoutOf, sampleTensors, type AnalysedFace, type TrainingTask } from './training-samples';

const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const CLIP_EXTENSIONS = new Set(['.mp4', '.mov', '.mkv', '.webm', '.avi']);
/** ffmpeg is a bounded child process: one clip may take this long at most. */
const FFMPEG_TIMEOUT_MS = 120_000;

const logger = createLogger('training-dataset');

interface SampleEntry {
  file: string;
  task: TrainingTask;
  source: string;
  target: string;
}

export interface DatasetOptions {
  out: string;
  resolution: 256 | 512;
  fps: number;
  frames: number;
  pairs: number;
  minGap: number;
  minSimilarity: number;
}

async function inputFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const names = (await readdir(path)).sort();
      files.push(
        ...(await inputFiles(
          names.map((name) => join(path, name)).filter((p) => PHOTO_EXTENSIONS.has(extname(p).toLowerCase()) || CLIP_EXTENSIONS.has(extname(p).toLowerCase())),
        )),
      );
    } else files.push(path);
  }
  return files;
}

/** Frames of a clip as PNG files, in order. */
async function extractFrames(clip: string, dir: string, fps: number, frames: number): Promise<string[]> {
  await new Promise<void>((done, fail) => {
    const child = spawn('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', clip, '-vf', `fps=${fps}`, '-frames:v', String(frames), join(dir, '%05d.png')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), FFMPEG_TIMEOUT_MS);
    child.on('error', (error) => fail(new FacexError('unavailable', `ffmpeg cannot start: ${error.message}`, { file: clip })));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new FacexError('corrupt_image', `ffmpeg could not read ${clip} (${signal ?? `exit ${code}`}): ${stderr.trim()}`, { file: clip }));
    });
  });
  return (await readdir(dir))
    .filter((name) => name.endsWith('.png'))
    .sort()
    .map((name) => join(dir, name));
}

export class DatasetWriter {
  private readonly samples: SampleEntry[] = [];
  private layout: ReturnType<typeof layoutOf> | null = null;

  constructor(
    private readonly analyzer: FaceAnalyzer,
    private readonly options: DatasetOptions,
  ) {}

  private async writeFace(name: string, face: AnalysedFace): Promise<void> {
    const dir = join(this.options.out, 'faces', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'representation.safetensors'), encodeRepresentation(face.representation));
    const { data, width, height } = face.alignedCrop;
    await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 3 } })
      .png()
      .toFile(join(dir, 'crop.png'));
  }

  private async writeSample(task: TrainingTask, source: { name: string; face: AnalysedFace }, target: { name: string; face: AnalysedFace }): Promise<void> {
    const layout = layoutOf(target.face.representation);
    if (this.layout === null) this.layout = layout;
    else if (layout.totalWidth !== this.layout.totalWidth) {
      throw new FacexError(
        'invalid_representation',
        `${target.name}: token layout of ${layout.totalWidth} values, the dataset has ${this.layout.totalWidth} (one FORD pack per dataset)`,
        { field: 'identity' },
      );
    }
    const file = join('samples', `${String(this.samples.length).padStart(6, '0')}.safetensors`);
    await mkdir(join(this.options.out, 'samples'), { recursive: true });
    writeSafetensors(join(this.options.out, file), sampleTensors(task, source.face, target.face, this.options.resolution), 'F32', {
      task,
      source: source.name,
      target: target.name,
    });
    this.samples.push({ file, task, source: source.name, target: target.name });
  }

  async addPhoto(path: string): Promise<number> {
    const faces = await this.analyzer.analyzeAllWithCrops(await readFile(path));
    const stem = basename(path).replace(/\.[^.]+$/, '');
    for (const face of faces) {
      const name = `${stem}.face${face.representation.faceIndex}`;
      await this.writeFace(name, face);
      await this.writeSample('head-swap', { name, face }, { name, face });
    }
    return faces.length;
  }

  async addClip(path: string): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'facex-frames-'));
    try {
      const frames = await extractFrames(path, dir, this.options.fps, this.options.frames);
      const stem = basename(path).replace(/\.[^.]+$/, '');
      const faces: Array<AnalysedFace | null> = [];
      for (const frame of frames) {
        // The clip's person is its largest face (faces are ordered by decreasing box area).
        const found = await this.analyzer.analyzeAllWithCrops(await readFile(frame)).catch((error: unknown) => {
          if (isFacexError(error) && error.code === 'no_face') return [];
          throw error;
        });
        faces.push(found[0] ?? null);
      }
      const names = frames.map((frame) => `${stem}.frame${basename(frame, '.png')}`);
      const pairs = framePairs(
        faces.map((face) => face?.representation ?? null),
        { minGap: this.options.minGap, minSimilarity: this.options.minSimilarity, limit: this.options.pairs },
      );
      const written = new Set<number>();
      for (const [i, j] of pairs) {
        for (const k of [i, j]) {
          if (!written.has(k)) await this.writeFace(names[k] as string, faces[k] as AnalysedFace);
          written.add(k);
        }
        const source = { name: names[i] as string, face: faces[i] as AnalysedFace };
        const target = { name: names[j] as string, face: faces[j] as AnalysedFace };
        await this.writeSample('head-swap', source, target);
        await this.writeSample('reenact', source, target);
      }
      return pairs.length;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** dataset.json last: a dataset without it is incomplete. */
  async finish(): Promise<{ samples: number }> {
    if (this.layout === null) throw new FacexError('no_face', 'no face in any input: the dataset would be empty', { field: 'inputs' });
    const index = { version: 1, resolution: this.options.resolution, tokenLayout: this.layout, samples: this.samples };
    await writeFile(join(this.options.out, 'dataset.json'), `${JSON.stringify(index, null, 1)}\n`);
    return { samples: this.samples.length };
  }
}

/** Builds a dataset from photos and clips (files or folders of them). */
export async function buildTrainingDataset(paths: readonly string[], options: DatasetOptions, analyzer: FaceAnalyzer): Promise<{ samples: number }> {
  await mkdir(options.out, { recursive: true });
  await rm(join(options.out, 'dataset.json'), { force: true });
  const writer = new DatasetWriter(analyzer, options);
  for (const file of await inputFiles(paths)) {
    const extension = extname(file).toLowerCase();
    try {
      const count = CLIP_EXTENSIONS.has(extension) ? await writer.addClip(file) : await writer.addPhoto(file);
      logger.info({ file, count }, CLIP_EXTENSIONS.has(extension) ? 'clip: frame pairs' : 'photo: faces');
    } catch (error) {
      if (!isFacexError(error) || error.code === 'unavailable') throw error;
      // One unreadable or faceless input does not end a dataset build; it is reported and skipped.
      logger.warn({ file, code: error.code, err: error.message }, 'input skipped');
    }
  }
  return writer.finish();
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  const parsed = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new FacexError('invalid_recipe', `--${name} must be a positive number`, { field: name });
  return parsed;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      resolution: { type: 'string' },
      fps: { type: 'string' },
      frames: { type: 'string' },
      pairs: { type: 'string' },
      'min-gap': { type: 'string' },
      'min-similarity': { type: 'string' },
    },
  });
  if (!values.out || positionals.length === 0) {
    console.error(
      'usage: npm run training:dataset -- --out DIR <photo|clip|folder>... [--resolution 256|512] [--fps 2] [--frames 16] [--pairs 8] [--min-gap 2] [--min-similarity 0.6]',
    );
    process.exitCode = 2;
    return;
  }
  const resolution = Number(values.resolution ?? 256);
  if (resolution !== 256 && resolution !== 512) throw new FacexError('invalid_recipe', '--resolution must be 256 or 512', { field: 'resolution' });
  const options: DatasetOptions = {
    out: resolve(values.out),
    resolution,
    fps: positiveNumber(values.fps, 2, 'fps'),
    frames: positiveNumber(values.frames, 16, 'frames'),
    pairs: positiveNumber(values.pairs, 8, 'pairs'),
    minGap: positiveNumber(values['min-gap'], 2, 'min-gap'),
    minSimilarity: positiveNumber(values['min-similarity'], 0.6, 'min-similarity'),
  };
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  try {
    const { samples } = await buildTrainingDataset(positionals, options, analyzer);
    console.log(`${options.out}: ${samples} samples`);
  } catch (error) {
    if (!isFacexError(error)) throw error;
    console.error(`${error.title}: ${error.message}`);
    process.exitCode = 2;
  } finally {
    await analyzer.close();
  }
}

if (require.main === module) void main();
