/**
 * The `reference` generator: no model. It returns the assembled reference I^R composited over the frame crop
 * through the fusion mask, i.e. exactly what the region assembler prepared for a real generator to fill in.
 * It is named for what it is, so no result made by it passes as a generated face.
 */
import { assertRgbImage, assertSameSize, type MaskPlane, type RgbImage } from '@facex/imaging';
import { FacexError } from '@facex/contracts';
import { GENERATED_SIZE, type Generator, type GeneratorConditions, type GeneratorContext } from './generator';

/** out = α·top + (1 − α)·bottom per pixel, α = mask / 255. */
export function compositeThroughMask(top: RgbImage, bottom: RgbImage, mask: MaskPlane): RgbImage {
  assertRgbImage(top, 'top');
  assertRgbImage(bottom, 'bottom');
  if (top.width !== bottom.width || top.height !== bottom.height) {
    throw new FacexError('invalid_representation', 'bottom: size differs from top', { field: 'bottom' });
  }
  assertSameSize(mask, { data: mask.data, width: top.width, height: top.height }, 'mask');
  const out = new Uint8Array(top.data.length);
  const t = top.data,
    b = bottom.data,
    m = mask.data;
  for (let i = 0, p = 0; i < m.length; i++, p += 3) {
    const a = m[i];
    const inv = 255 - a;
    out[p] = (a * t[p] + inv * b[p] + 127) / 255;
    out[p + 1] = (a * t[p + 1] + inv * b[p + 1] + 127) / 255;
    out[p + 2] = (a * t[p + 2] + inv * b[p + 2] + 127) / 255;
  }
  return { data: out, width: top.width, height: top.height };
}

export const referenceGenerator: Generator = {
  name: 'reference',
  modelPack: null,
  async render(conditions: GeneratorConditions, _options, context: GeneratorContext): Promise<RgbImage> {
    const { reference, frameCrop, fusionMask } = conditions;
    if (reference.width !== GENERATED_SIZE || reference.height !== GENERATED_SIZE) {
      throw new FacexError('invalid_representation', `reference: expected ${GENERATED_SIZE}×${GENERATED_SIZE}`, { field: 'reference' });
    }
    const out = compositeThroughMask(reference, frameCrop, fusionMask);
    await context.onStep(1, 1);
    return out;
  },
};
