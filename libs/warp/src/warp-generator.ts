/**
 * The warp generator behind a pool of worker threads: every edit is a few tens of milliseconds of pixel loops,
 * which must not run on the event loop that serves requests. Inputs are copied once to the worker; the result's
 * buffers are moved back, not copied. With a face bank, each worker opens it once and regenerates from it.
 */
import { extname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { WorkerPool } from '@facex/runtime';
import type { WarpCrop, WarpEdit, WarpOptions } from './render-warp-edit';

/** What a caller sets of a warp edit (the face bank's donors are chosen in the worker). */
export type WarpRequestOptions = Omit<WarpOptions, 'donor' | 'mouthDonor'>;

export interface WarpRequest {
  recipe: Recipe;
  inputs: AssemblyInput[];
  options?: WarpRequestOptions;
  /** Paste the edit back into the frame's full image in the worker (and send that image back). */
  pasteBack: boolean;
}

export interface WarpTaskOptions {
  /** The face bank's folder: dropped regions and inpainting holes are regenerated from its donors. */
  faceBank?: string;
}

export interface WarpGeneratorOptions extends WarpTaskOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Edits allowed to wait for a worker before `render` refuses with `unavailable`. */
  maxQueue?: number;
}

export class WarpGenerator {
  private constructor(private readonly pool: WorkerPool<WarpRequest, WarpCrop>) {}

  static async open(options: WarpGeneratorOptions = {}): Promise<WarpGenerator> {
    const pool = await WorkerPool.start<WarpRequest, WarpCrop, WarpTaskOptions>({
      entry: join(__dirname, `warp-task${extname(__filename)}`),
      options: { faceBank: options.faceBank },
      size: options.workers ?? availableParallelism(),
      maxQueue: options.maxQueue ?? 64,
    });
    return new WarpGenerator(pool);
  }

  /**
   * Renders one recipe in a worker (see renderWarpEdit). Bad input rejects with the same FacexError. The pool
   * moves a request's buffers to the worker, so the request is a copy: the caller's inputs stay usable.
   */
  async render(recipe: Recipe, inputs: AssemblyInput[], options?: WarpRequestOptions): Promise<WarpEdit> {
    // The worker pastes back when asked, so the result is a WarpEdit.
    return (await this.pool.run(structuredClone({ recipe, inputs, options, pasteBack: true }))) as WarpEdit;
  }

  /** The same on the frame's aligned crop only (renderWarpCrop), for callers that paste back themselves. */
  renderCrop(recipe: Recipe, inputs: AssemblyInput[], options?: WarpRequestOptions): Promise<WarpCrop> {
    return this.pool.run(structuredClone({ recipe, inputs, options, pasteBack: false }));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
