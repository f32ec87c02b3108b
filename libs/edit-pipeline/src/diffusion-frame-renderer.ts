/**
 * The diffusion generator as a video chunk's renderer: each frame of a batch assembled in memory (the photo
 * edit's assemble stage, without the blob store), all of them posted to the generator at once so its batcher
 * samples them as one batch, and each crop pasted back into its output frame through the fusion mask, as the
 * photo edit's render stage does.
 */
import { FacexError, outputFrameInput } from '@facex/contracts';
import type { DiffusionGenerator } from '@facex/diffusion';
import { assembledConditions, type GeneratorContext, type GeneratorOptions } from '@facex/generators';
import { pasteBack, type RgbImage } from '@facex/imaging';
import type { BatchFrameRenderer } from '@facex/video';

/** What a chunk needs of the diffusion generator (DiffusionGenerator fits). */
export type BatchingGenerator = Pick<DiffusionGenerator, 'renderAll'>;

export function diffusionFrameRenderer(generator: BatchingGenerator, options: GeneratorOptions): BatchFrameRenderer {
  return {
    async renderBatch(frames): Promise<RgbImage[]> {
      const images = frames.map(({ recipe, inputs }) => {
        const output = outputFrameInput(recipe.task);
        const image = inputs[output]?.image;
        if (!image)
          throw new FacexError('invalid_recipe', `inputs[${output}]: the output frame of a video edit needs its full image`, { field: `inputs[${output}]` });
        return image;
      });
      const conditions = frames.map(({ recipe, inputs }) => assembledConditions(recipe, inputs));
      // The first frame that fails fails the batch: the others stop at their next step instead of sampling on.
      const stop = new AbortController();
      const context: GeneratorContext = { onStep: async () => undefined, signal: stop.signal };
      const crops = generator.renderAll(conditions.map((each) => ({ conditions: each, options, context })));
      for (const crop of crops) crop.catch((error: unknown) => stop.abort(error));
      const rendered = await Promise.all(crops);
      return rendered.map((crop, k) => pasteBack(images[k], crop, conditions[k].cropToImage, conditions[k].fusionMask));
    },
  };
}
