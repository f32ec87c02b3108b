/**
 * Which face-bank donor regenerates an edit's dropped regions and inpainting hole (see @facex/face-bank's
 * selectDonor for the criteria). The query is read from the frame the way the edit sees it: the area is the
 * dropped regions plus the drawn mask on the 256 px mask crop, shape is compared at the mesh points inside it,
 * and the frame's skin colour and detail are measured outside it (its pixels are what is being regenerated;
 * detail on the skin around it). Every input of the edit is left out of the bank.
 */
import { MASK_SIZE, MESH_POINTS, REGION_NAMES, FacexError, outputFrameInput, type Recipe, type RegionName } from '@facex/contracts';
import { inputAt, regionsUnion, resolveInputs, usedInputs, userMaskInCrop, type AssemblyInput, type RegionAssemblerOptions } from '@facex/assemblers';
import { faceFeatures, selectDonor, skinDetail, skinLab, type DonorQuery, type FaceBank } from '@facex/face-bank';
import { applyAffine, dilateDisc, unionInto } from '@facex/imaging';
import type { WarpDonor } from './render-warp-edit';

/** How far around the regenerated area (256 px mask pixels) the frame's skin detail is read. */
const DETAIL_RING = 16;

/** The regions the recipe drops (the generator invents them). */
export function droppedRegions(recipe: Recipe): RegionName[] {
  return REGION_NAMES.filter((region) => recipe.components[region] === null);
}

/** Whether the edit regenerates anything a donor could supply: an inpainting, or dropped regions. */
export function regenerates(recipe: Recipe): boolean {
  return recipe.task.preset === 'inpaint' || droppedRegions(recipe).length > 0;
}

/** The faces an edit reads (every input it uses): none of them may donate to it. */
export function editFaces(recipe: Recipe, resolved: ReturnType<typeof resolveInputs>): DonorQuery['exclude'] {
  return [...usedInputs(recipe)].map((index) => {
    const { asset, faceIndex } = inputAt(resolved, index).representation;
    return { sha256: asset.sha256, faceIndex };
  });
}

/** The selection query of an edit (undefined when it regenerates nothing). */
export function donorQuery(recipe: Recipe, inputs: readonly AssemblyInput[], options: RegionAssemblerOptions = {}): DonorQuery | undefined {
  if (!regenerates(recipe)) return undefined;
  const resolved = resolveInputs(recipe, inputs);
  const frame = inputAt(resolved, outputFrameInput(recipe.task));
  const rep = frame.representation;
  const regions = droppedRegions(recipe);
  const area = regionsUnion(rep, regions);
  const drawn = userMaskInCrop(recipe, frame, options.userMask);
  if (drawn) unionInto(area, drawn);
  const points: number[] = [];
  const toMask = rep.alignment.matrix;
  for (let i = 0; i < MESH_POINTS; i++) {
    const [x, y] = applyAffine(toMask, rep.landmarks[3 * i], rep.landmarks[3 * i + 1]);
    const u = Math.round(x / 2),
      v = Math.round(y / 2);
    if (u >= 0 && v >= 0 && u < MASK_SIZE && v < MASK_SIZE && area.data[v * MASK_SIZE + u] >= 128) points.push(i);
  }
  const exclude = editFaces(recipe, resolved);
  // The 512 px crop first: the 256 px one is then its downsampling rather than a second warp of the image.
  // Detail is read on the skin around the area (what the transplant will sit among), else on all the skin.
  const crop = frame.crop();
  const detail = skinDetail(rep, crop, area, dilateDisc(area, DETAIL_RING)) || skinDetail(rep, crop, area);
  return { target: faceFeatures(rep, skinLab(rep, frame.maskCrop(), area), detail), exclude, points, regions };
}

/**
 * The donor for an edit, with its crop loaded; undefined when the edit regenerates nothing or every bank face
 * is left out. A bank built with another FORD pack than the inputs' is refused: its geometry would not match.
 */
export async function chooseDonor(
  bank: FaceBank,
  recipe: Recipe,
  inputs: readonly AssemblyInput[],
  options: RegionAssemblerOptions = {},
): Promise<WarpDonor | undefined> {
  const query = donorQuery(recipe, inputs, options);
  if (!query) return undefined;
  const frameInput = outputFrameInput(recipe.task);
  const pack = inputs[frameInput]?.representation?.modelPack;
  if (pack && pack.version !== bank.manifest.modelPack.version) {
    throw new FacexError(
      'model_pack_invalid',
      `face bank ${bank.version} was built with model pack ${bank.manifest.modelPack.version}, the inputs were analysed with ${pack.version}: rebuild it (npm run setup)`,
      { field: 'faceBank' },
    );
  }
  const choice = selectDonor(bank.donors, query);
  if (!choice) return undefined;
  const donor = bank.donor(choice.id);
  return {
    ref: { bank: bank.version, id: donor.id, label: donor.label },
    representation: donor.representation,
    alignedCrop: await bank.crop(donor.id),
    skinDetail: donor.features.skinDetail,
    frameSkinDetail: query.target.skinDetail,
  };
}
