/**
 * The recipe's motion edit applied to the motion the recipe takes from its inputs: pose from the `pose`
 * input, expression from the `expression` input, gaze from the `gaze` input; the edited values are what the
 * assembled tokens carry, so every generator receives the same request. A dropped motion component (null)
 * stays dropped: there is no motion to edit.
 */
import { applyMotionEdit, motionStateOf, motionWithState, type FaceMotion, type Recipe } from '@facex/contracts';
import { inputAt, type ResolvedInput } from './inputs';

export type EditedMotion = Pick<FaceMotion, 'pose' | 'expression' | 'gaze'>;

/** The motion the output takes, with the recipe's edit applied; null when the recipe has no motion edit. */
export function editedMotion(recipe: Recipe, resolved: Array<ResolvedInput | undefined>): EditedMotion | null {
  if (!recipe.motion) return null;
  const { pose, expression, gaze } = recipe.components;
  const motionOf = (index: number | null) => (index === null ? null : inputAt(resolved, index).representation.motion);
  const [poseFrom, expressionFrom, gazeFrom] = [motionOf(pose), motionOf(expression), motionOf(gaze)];
  const any = poseFrom ?? expressionFrom ?? gazeFrom;
  if (!any) return null;
  const combined: EditedMotion = {
    pose: (poseFrom ?? any).pose,
    expression: (expressionFrom ?? any).expression,
    gaze: (gazeFrom ?? any).gaze,
  };
  return motionWithState(combined, applyMotionEdit(motionStateOf(combined), recipe.motion));
}
