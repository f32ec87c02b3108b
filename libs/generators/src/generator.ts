/**
 * A Generator turns an edit's assembled conditions into the edited 512 px aligned face. Implementations:
 * `reference` (here), `warp` and `diffusion` (their own libraries). The render stage pastes the result back.
 */
import type { AssembledTokens, AssemblyInput } from '@facex/assemblers';
import type { Affine2D, DonorRef, EditOptions, GeneratorName, Recipe, ResultQuality } from '@facex/contracts';
import type { MaskPlane, RgbImage } from '@facex/imaging';

export const GENERATED_SIZE = 512;

/** What the assemble stage produced, as the render stage reads it back from the blob store. */
export interface GeneratorConditions {
  /** I^R, 512 × 512 RGB. */
  reference: RgbImage;
  /** The output frame's unedited aligned crop, 512 × 512. */
  frameCrop: RgbImage;
  /** 255 where the generator must produce pixels. */
  inpaintMask: MaskPlane;
  /** Soft paste-back alpha, 512 × 512. */
  fusionMask: MaskPlane;
  /** Output crop → the frame input's full image. */
  cropToImage: Affine2D;
  tokens: AssembledTokens;
  nullTokens: AssembledTokens;
  /** The edit's recipe and, loaded on demand, its inputs (for generators that work from the faces themselves). */
  recipe: Recipe;
  inputs(): Promise<AssemblyInput[]>;
  /** The user-drawn inpainting mask on the frame's full image, when the recipe takes one. */
  userMask(): Promise<MaskPlane | undefined>;
}

export type GeneratorOptions = Pick<EditOptions, 'seed' | 'steps' | 'guidance' | 'resolution'>;

export interface GeneratorContext {
  /** Called after each step (1-based); rejecting here (e.g. the edit was canceled) stops the render. */
  onStep(step: number, steps: number): Promise<void>;
  signal?: AbortSignal;
}

/**
 * The edited 512 px aligned face; a generator that regenerated an area from a face-bank donor names it, and one
 * that assesses its output says whether it is degraded.
 */
export interface GeneratedCrop extends RgbImage {
  donor?: DonorRef | null;
  quality?: ResultQuality;
}

export interface Generator {
  readonly name: GeneratorName;
  /** The pack whose weights made the output; null for weight-free generators. */
  readonly modelPack: { name: string; version: string } | null;
  render(conditions: GeneratorConditions, options: GeneratorOptions, context: GeneratorContext): Promise<GeneratedCrop>;
}
