/**
 * The Representation Assembler (FORS, first half): from the inputs' FaceRepresentations and a recipe, the
 * component tokens a generator consumes, each with its provenance, in one fixed layout.
 *
 * Layout (TokenLayout): one slot per component in COMPONENT_NAMES order, packed back to back in one
 * Float32Array:
 *   identity    the identity embedding as FORD gives it (width: the model pack's embedding size)
 *   eyebrows, eyes, nose, lips, skin, ears, hair, background
 *               8 floats each, pooled under the region's soft mask on the 256 px aligned crop:
 *               mean R, G, B (0…1), area (fraction of the crop), centroid x, y and spread x, y (0…1 of the
 *               crop side). A model pack with a learned region encoder (the paper's CLIP + FPN + mask
 *               pooling) replaces these with its own features; the slot order and provenance stay.
 *   pose        yaw, pitch, roll in radians
 *               (pose, expression and gaze carry the recipe's motion edit when it has one: see motion-edit.ts)
 *   expression  the expression descriptor as FORD gives it
 *   gaze        left eye offsetX, offsetY, yaw, pitch (radians), then the right eye
 *   lighting    27 spherical-harmonics coefficients, channel-major
 * A slot is absent (present = false, values 0) when the recipe drops the component (null) or when the region
 * is not visible in its input. nullTokens() gives the all-absent, all-zero set for classifier-free guidance.
 */
import { COMPONENT_NAMES, REGION_NAMES, FacexError, type ComponentName, type Recipe, type RegionName } from '@facex/contracts';
import { regionMask } from './face-geometry';
import { inputAt, resolveInputs, type AssemblyInput, type ResolvedInput } from './inputs';
import { nonZeroRows, type RgbImage } from '@facex/imaging';
import { editedMotion, type EditedMotion } from './motion-edit';

export const REGION_TOKEN_WIDTH = 8;
export const POSE_TOKEN_WIDTH = 3;
export const GAZE_TOKEN_WIDTH = 8;
export const LIGHTING_TOKEN_WIDTH = 27;

export interface TokenSlotLayout {
  component: ComponentName;
  offset: number;
  width: number;
}

export interface TokenLayout {
  slots: TokenSlotLayout[];
  totalWidth: number;
}

export interface TokenSlot extends TokenSlotLayout {
  /** A view into `AssembledTokens.packed`. */
  values: Float32Array;
  /** The input the component came from, or null when dropped. */
  source: number | null;
  present: boolean;
}

export interface AssembledTokens {
  layout: TokenLayout;
  packed: Float32Array;
  slots: TokenSlot[];
}

const isRegion = (component: ComponentName): component is RegionName => (REGION_NAMES as readonly string[]).includes(component);

function slotWidth(component: ComponentName, identityWidth: number, expressionWidth: number): number {
  if (isRegion(component)) return REGION_TOKEN_WIDTH;
  switch (component) {
    case 'identity':
      return identityWidth;
    case 'expression':
      return expressionWidth;
    case 'pose':
      return POSE_TOKEN_WIDTH;
    case 'gaze':
      return GAZE_TOKEN_WIDTH;
    case 'lighting':
      return LIGHTING_TOKEN_WIDTH;
  }
}

/** The layout for a model pack's identity and expression sizes. */
export function tokenLayout(identityWidth: number, expressionWidth: number): TokenLayout {
  let offset = 0;
  const slots = COMPONENT_NAMES.map((component) => {
    const width = slotWidth(component, identityWidth, expressionWidth);
    const slot = { component, offset, width };
    offset += width;
    return slot;
  });
  return { slots, totalWidth: offset };
}

function emptyTokens(layout: TokenLayout): AssembledTokens {
  const packed = new Float32Array(layout.totalWidth);
  const slots = layout.slots.map((slot) => ({
    ...slot,
    values: packed.subarray(slot.offset, slot.offset + slot.width),
    source: null,
    present: false,
  }));
  return { layout, packed, slots };
}

/** Zeros in the same layout, every slot absent: the unconditional branch of classifier-free guidance. */
export function nullTokens(layout: TokenLayout): AssembledTokens {
  return emptyTokens(layout);
}

/** Mask-pooled statistics of one region (see the module doc); false when the region is empty. */
function poolRegion(mask: Uint8Array, size: number, crop: RgbImage, out: Float32Array): boolean {
  const rgb = crop.data;
  let weight = 0,
    r = 0,
    g = 0,
    b = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0;
  const { first, last } = nonZeroRows({ data: mask, width: size, height: size });
  for (let v = first, i = first * size; v <= last; v++) {
    // A row's sums are small integers (below 2^31 for a 256 px row), folded into the totals once per row;
    // every sum is an exact integer either way, so the statistics do not depend on this grouping.
    let rowWeight = 0,
      rowR = 0,
      rowG = 0,
      rowB = 0,
      rowX = 0,
      rowXX = 0;
    for (let u = 0; u < size; u++, i++) {
      const w = mask[i];
      if (w === 0) continue;
      const p = 3 * i;
      rowR += w * rgb[p];
      rowG += w * rgb[p + 1];
      rowB += w * rgb[p + 2];
      rowWeight += w;
      rowX += w * u;
      rowXX += w * u * u;
    }
    weight += rowWeight;
    r += rowR;
    g += rowG;
    b += rowB;
    sx += rowX;
    sxx += rowXX;
    sy += rowWeight * v;
    syy += rowWeight * v * v;
  }
  if (weight === 0) return false;
  const cx = sx / weight,
    cy = sy / weight;
  out[0] = r / (weight * 255);
  out[1] = g / (weight * 255);
  out[2] = b / (weight * 255);
  out[3] = weight / (255 * size * size);
  out[4] = cx / size;
  out[5] = cy / size;
  out[6] = Math.sqrt(Math.max(0, sxx / weight - cx * cx)) / size;
  out[7] = Math.sqrt(Math.max(0, syy / weight - cy * cy)) / size;
  return true;
}

const RADIANS = Math.PI / 180;

/** Fills one slot from its input (its motion edited when the recipe edits it); returns whether the component is present. */
function fillSlot(component: ComponentName, input: ResolvedInput, values: Float32Array, motion: EditedMotion | null): boolean {
  const rep = input.representation;
  const { pose, expression, gaze } = motion ?? rep.motion;
  const field = `inputs[${input.index}]`;
  const copy = (source: Float32Array, name: string) => {
    if (source.length !== values.length) {
      throw new FacexError('invalid_representation', `${field}.${name}: expected ${values.length} values, got ${source.length}`, { field: `${field}.${name}` });
    }
    values.set(source);
  };
  if (isRegion(component)) {
    const mask = regionMask(rep, component);
    return poolRegion(mask.data, mask.width, input.maskCrop(), values);
  }
  switch (component) {
    case 'identity':
      copy(rep.identity, 'identity');
      return true;
    case 'expression':
      copy(expression, 'motion.expression');
      return true;
    case 'lighting':
      copy(rep.environment.lighting, 'environment.lighting');
      return true;
    case 'pose':
      values[0] = pose.yaw * RADIANS;
      values[1] = pose.pitch * RADIANS;
      values[2] = pose.roll * RADIANS;
      return true;
    case 'gaze': {
      const { left, right } = gaze;
      values.set([
        left.offsetX,
        left.offsetY,
        left.yaw * RADIANS,
        left.pitch * RADIANS,
        right.offsetX,
        right.offsetY,
        right.yaw * RADIANS,
        right.pitch * RADIANS,
      ]);
      return true;
    }
  }
}

/** The tokens of a recipe, given already resolved inputs (see assembleEdit, which shares them). */
export function assembleTokensFrom(recipe: Recipe, resolved: Array<ResolvedInput | undefined>): AssembledTokens {
  // Widths come from any used input: resolveInputs has checked they share one model pack.
  const reference = resolved.find((input): input is ResolvedInput => input !== undefined);
  if (!reference) throw new Error('no input resolved');
  const rep = reference.representation;
  const tokens = emptyTokens(tokenLayout(rep.identity.length, rep.motion.expression.length));
  const motion = editedMotion(recipe, resolved);
  for (const slot of tokens.slots) {
    const source = recipe.components[slot.component];
    if (source === null) continue;
    slot.source = source;
    slot.present = fillSlot(slot.component, inputAt(resolved, source), slot.values, motion);
  }
  return tokens;
}

/** The Representation Assembler: checks the inputs against the recipe and assembles the tokens. */
export function assembleTokens(recipe: Recipe, inputs: readonly AssemblyInput[]): AssembledTokens {
  return assembleTokensFrom(recipe, resolveInputs(recipe, inputs));
}
