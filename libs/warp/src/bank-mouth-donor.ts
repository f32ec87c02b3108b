/**
 * Which face-bank face lends its open mouth (teeth) to a mouth a motion edit opens (see mouth-donor.ts for what
 * may lend, mouth-interior.ts for how it is carried). Among the bank faces that may donate to the frame (never
 * an input of the edit, nor the frame's person; @facex/face-bank mayDonate) and whose mouth is open at least
 * MIN_TEETH_OPENING, the nearest to the frame by the sum of squares of
 *   pose   yaw/pitch difference, /POSE_SCALE degrees (teeth seen from another side are drawn in perspective),
 *          beyond MAX_POSE_GAP none lends;
 *   width  the relative difference of the inner-lip widths on the canonical meshes, /WIDTH_SCALE;
 *   lips   the upper lip's shape (the canonical meshes' upper lip points, each set centred), /SHAPE_SCALE
 *          inter-ocular distances: the teeth hang from it;
 *   cast   the colour cast of its teeth (teethCast), /CAST_SCALE: a coloured light is undone by the white
 *          balance only in the teeth's mean, and leaves tinted shading in them; teeth bluer than red, or cast
 *          beyond MAX_CAST, are a coloured light (or lipstick mistaken for teeth), and such a face never lends;
 * among those whose crop shows an upper teeth band (upperTeeth), ties to the smaller id. Its mouth is softened to
 * the frame's photo (softenedTo).
 */
import { outputFrameInput, type Recipe } from '@facex/contracts';
import { inputAt, resolveInputs, type AssemblyInput } from '@facex/assemblers';
import { editFaces } from './bank-donor';
import { mayDonate, shapeDistance, skinDetail, type BankDonor, type FaceBank } from '@facex/face-bank';
import type { RgbImage } from '@facex/imaging';
import { MESH_ANNOTATIONS } from './topology';
import { fitFace } from './output-mesh';
import { showsInterior } from './mouth-interior';
import { openingOf } from './mouth-opening';
import { MIN_TEETH_OPENING, openingRatio, softenedTo, teethCast, upperTeeth, type MouthDonor, type UpperTeeth } from './mouth-donor';

const POSE_SCALE = 8;
const MAX_POSE_GAP = 25;
const WIDTH_SCALE = 0.1;
const SHAPE_SCALE = 0.06;
const CAST_SCALE = 0.1;
/** log2 of the teeth's brightest channel over their dimmest: the bank's teeth under warm lamps read up to 0.41. */
const MAX_CAST = 0.5;

const UPPER_LIP: readonly number[] = [...MESH_ANNOTATIONS.lipsUpperOuter, ...MESH_ANNOTATIONS.lipsUpperInner];
const [RIGHT_INNER, LEFT_INNER] = [MESH_ANNOTATIONS.lipsLowerInner[0], MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1]];

/** Inner-lip width of a canonical mesh (MESH_POINTS × 3). */
function innerWidth(canonical: Float32Array): number {
  const [a, b] = [3 * RIGHT_INNER, 3 * LEFT_INNER];
  return Math.hypot(canonical[a] - canonical[b], canonical[a + 1] - canonical[b + 1], canonical[a + 2] - canonical[b + 2]);
}

/** The teeth measured on each bank crop (crops are decoded once per bank and kept, so is this). */
const measured = new WeakMap<RgbImage, UpperTeeth | null>();

async function teethOf(bank: FaceBank, donor: BankDonor, points: Float32Array): Promise<{ crop: RgbImage; teeth: UpperTeeth | null }> {
  const crop = await bank.crop(donor.id);
  let teeth = measured.get(crop);
  if (teeth === undefined) measured.set(crop, (teeth = upperTeeth(crop, points)));
  return { crop, teeth };
}

/** The mouth donor for an edit, crop loaded; undefined when the edit moves nothing or no bank face may lend. */
export async function chooseMouthDonor(bank: FaceBank, recipe: Recipe, inputs: readonly AssemblyInput[]): Promise<MouthDonor | undefined> {
  // Only a motion edit opens a mouth the frame does not show open.
  if (!recipe.motion) return undefined;
  const resolved = resolveInputs(recipe, inputs);
  const frameInput = inputAt(resolved, outputFrameInput(recipe.task));
  const frame = frameInput.representation;
  // A frame mouth with an interior of its own carries that one: no donor is drawn, so none is chosen.
  if (showsInterior(openingOf(fitFace(frame).crop))) return undefined;
  const query = { exclude: editFaces(recipe, resolved), target: { identity: frame.identity } };
  const { pose, canonicalMesh } = frame.motion;
  const width = innerWidth(canonicalMesh);
  const poseGap = (donor: BankDonor): number => {
    const other = donor.representation.motion.pose;
    return Math.hypot(other.yaw - pose.yaw, other.pitch - pose.pitch);
  };
  const cost = (donor: BankDonor, teeth: UpperTeeth): number => {
    const mesh = donor.representation.motion.canonicalMesh;
    const poseTerm = poseGap(donor) / POSE_SCALE;
    const widthTerm = Math.abs(innerWidth(mesh) / width - 1) / WIDTH_SCALE;
    const lipTerm = shapeDistance(canonicalMesh, mesh, UPPER_LIP) / SHAPE_SCALE;
    return poseTerm ** 2 + widthTerm ** 2 + lipTerm ** 2 + (teethCast(teeth) / CAST_SCALE) ** 2;
  };
  const open = bank.donors
    .filter((donor) => mayDonate(donor, query))
    .filter((donor) => poseGap(donor) <= MAX_POSE_GAP)
    .map((donor) => ({ donor, points: fitFace(donor.representation).crop }))
    .filter(({ points }) => openingRatio(points) >= MIN_TEETH_OPENING);
  let best: { mouth: MouthDonor; cost: number; detail: number } | undefined;
  for (const { donor, points } of open) {
    const { crop, teeth } = await teethOf(bank, donor, points);
    if (!teeth || teeth.colour[2] > teeth.colour[0] || teethCast(teeth) > MAX_CAST) continue;
    const mouth = { ref: { bank: bank.version, id: donor.id, label: donor.label }, crop, points, teeth };
    const score = cost(donor, teeth);
    if (!best || score < best.cost || (score === best.cost && donor.id < best.mouth.ref.id)) best = { mouth, cost: score, detail: donor.features.skinDetail };
  }
  return best && softenedTo(best.mouth, best.detail, skinDetail(frame, frameInput.crop()));
}
