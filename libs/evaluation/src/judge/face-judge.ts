/**
 * The independent judge: face-api's detector, 68-point landmarks and FaceRecognitionNet (converted to ONNX in
 * the `facex-judge` pack), none of which FORD uses, run in a pool of worker threads. `describe` returns every
 * face face-api finds in an image, with its 128-d descriptor.
 */
import { extname, join } from 'node:path';
import type { RgbImage } from '@facex/imaging';
import { WorkerPool } from '@facex/runtime';
import { defaultJudgePackDir, ensureJudgePack, JUDGE_MODEL_IDS, type JudgeManifest, type JudgeModelId } from './judge-pack';
import type { JudgedFace, JudgeTaskOptions } from './judge-task';

export interface FaceJudgeOptions {
  /** Default: $FACEX_MODELS_DIR (or <repo>/models) / facex-judge, built there on first use. */
  packDir?: string;
  workers?: number;
}

export class FaceJudge {
  private constructor(
    private readonly pool: WorkerPool<RgbImage, JudgedFace[]>,
    readonly manifest: JudgeManifest,
  ) {}

  static async open(options: FaceJudgeOptions = {}): Promise<FaceJudge> {
    const packDir = options.packDir ?? defaultJudgePackDir();
    const { manifest } = await ensureJudgePack(packDir);
    const models = Object.fromEntries(
      JUDGE_MODEL_IDS.map((id) => [id, { file: join(packDir, manifest.models[id].file), size: manifest.models[id].input.size }]),
    ) as JudgeTaskOptions['models'];
    const pool = await WorkerPool.start<RgbImage, JudgedFace[], JudgeTaskOptions>({
      entry: join(__dirname, `judge-task${extname(__filename)}`),
      options: { models, threads: 1 },
      size: options.workers ?? 1,
      maxQueue: 256,
    });
    return new FaceJudge(pool, manifest);
  }

  /** Every face in the image, best score first. The caller's image stays usable (the worker gets a copy). */
  describe(image: RgbImage): Promise<JudgedFace[]> {
    return this.pool.run({ data: image.data.slice(), width: image.width, height: image.height });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export type { JudgedFace, JudgeModelId };
