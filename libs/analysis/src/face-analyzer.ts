import { extname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import type { FaceRepresentation } from '@facex/contracts';
import { loadModelPack, type ModelPackManifest } from '@facex/model-pack';
import { WorkerPool } from '@facex/runtime';
import { decodeImage, DEFAULT_DECODE_LIMITS, type DecodeLimits } from './image/decode';
import type { AnalyzeRequest } from './pipeline/analyze-image';
import type { RgbImage } from '@facex/imaging';
import type { AnalysisTaskOptions, AnalyzedFace } from './runtime/analysis-task';
import type { ModelRole } from './runtime/inference-engine';

export interface FaceAnalyzerOptions {
  /** The model pack directory (default: $FACEX_MODELS_DIR or <repo>/models, then `facex-ford`). */
  packDir?: string;
  /** Inference worker threads (default: one per core). */
  workers?: number;
  /** Images allowed to wait for a worker before `analyze` refuses with `unavailable`. */
  maxQueue?: number;
  decodeLimits?: DecodeLimits;
}

/** Which converted model plays which role in FORD. */
const ROLE_MODELS: Record<ModelRole, keyof ModelPackManifest['models']> = {
  detector: 'blazeface',
  mesh: 'facemesh',
  iris: 'iris',
  embedding: 'mobileface',
  segmentation: 'selfie',
};

export function defaultPackDir(): string {
  return join(resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '../../../models')), 'facex-ford');
}

/**
 * FORD from image bytes to FaceRepresentations. Decoding runs on libvips' own threads; every model and all
 * pixel geometry run in a bounded pool of worker threads, so the calling event loop stays free.
 */
export class FaceAnalyzer {
  private constructor(
    private readonly pool: WorkerPool<AnalyzeRequest, AnalyzedFace[]>,
    private readonly decodeLimits: DecodeLimits,
    readonly manifest: ModelPackManifest,
  ) {}

  static async open(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
    const packDir = options.packDir ?? defaultPackDir();
    const manifest = await loadModelPack(packDir);
    const files = Object.fromEntries(Object.entries(ROLE_MODELS).map(([role, id]) => [role, join(packDir, manifest.models[id].file)])) as Record<
      ModelRole,
      string
    >;
    const taskOptions: AnalysisTaskOptions = { files, pack: { name: manifest.name, version: manifest.version }, threads: 1 };
    const pool = await WorkerPool.start<AnalyzeRequest, AnalyzedFace[], AnalysisTaskOptions>({
      entry: join(__dirname, 'runtime', `analysis-task${extname(__filename)}`),
      options: taskOptions,
      size: options.workers ?? availableParallelism(),
      maxQueue: options.maxQueue ?? 64,
    });
    return new FaceAnalyzer(pool, options.decodeLimits ?? DEFAULT_DECODE_LIMITS, manifest);
  }

  /** The representation of one face (0 = the largest). */
  async analyze(bytes: Uint8Array, faceIndex = 0): Promise<FaceRepresentation> {
    const [face] = await this.run(bytes, faceIndex, false);
    return face.representation;
  }

  /**
   * One face's representation and its 512 px aligned crop, cut in the worker from the pixels it already
   * decoded (so a caller storing the crop needs no decode of its own).
   */
  async analyzeWithCrop(bytes: Uint8Array, faceIndex = 0): Promise<{ representation: FaceRepresentation; alignedCrop: RgbImage }> {
    const [{ representation, alignedCrop }] = await this.run(bytes, faceIndex, true);
    if (!alignedCrop) throw new Error('the analysis worker returned no aligned crop');
    return { representation, alignedCrop };
  }

  /** The representations of every face, largest first. */
  async analyzeAll(bytes: Uint8Array): Promise<FaceRepresentation[]> {
    return (await this.run(bytes, 'all', false)).map((face) => face.representation);
  }

  /** Every face with its 512 px aligned crop, largest first. */
  async analyzeAllWithCrops(bytes: Uint8Array): Promise<Array<{ representation: FaceRepresentation; alignedCrop: RgbImage }>> {
    return (await this.run(bytes, 'all', true)).map(({ representation, alignedCrop }) => {
      if (!alignedCrop) throw new Error('the analysis worker returned no aligned crop');
      return { representation, alignedCrop };
    });
  }

  /**
   * A video frame's face followed from the previous frame's mesh instead of detected (see AnalyzeRequest.track):
   * null when the track is lost there.
   */
  async analyzeTracked(bytes: Uint8Array, previousMesh: Float32Array): Promise<FaceRepresentation | null> {
    // A copy: the pool moves a request's buffers to the worker, and the caller's mesh stays in use.
    const [face] = await this.run(bytes, 0, false, previousMesh.slice());
    return face?.representation ?? null;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async run(bytes: Uint8Array, faceIndex: number | 'all', withAlignedCrops: boolean, track?: Float32Array): Promise<AnalyzedFace[]> {
    const { image, sha256 } = await decodeImage(bytes, this.decodeLimits);
    return this.pool.run({ image, sha256, faceIndex, withAlignedCrops, ...(track ? { track } : {}) });
  }
}
