import type { Generator } from '@facex/generators';
import type { WarpGenerator } from './warp-generator';

/**
 * The warp renderer as the service's Generator. It works from the faces themselves (the edit's recipe and
 * inputs) rather than from the assembled tokens, and returns the edited aligned crop, which the render stage
 * pastes back through the same fusion mask the warp blends with.
 */
export function warpEditGenerator(warp: WarpGenerator): Generator {
  return {
    name: 'warp',
    modelPack: null,
    async render(conditions, _options, context) {
      context.signal?.throwIfAborted();
      const [inputs, userMask] = await Promise.all([conditions.inputs(), conditions.userMask()]);
      const edit = await warp.renderCrop(conditions.recipe, inputs, { userMask });
      await context.onStep(1, 1);
      return { ...edit.crop, donor: edit.donor, quality: { flag: edit.quality.flag, reasons: edit.quality.reasons } };
    },
  };
}
