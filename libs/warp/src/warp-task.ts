/**
 * The pool worker's task module: opens the face bank once (when one is configured), then per request chooses
 * the donor for what the edit regenerates and the one whose teeth a mouth it opens shows, and renders, pasted back
 * or not as asked.
 */
import type { TaskHandler } from '@facex/runtime';
import { FaceBank } from '@facex/face-bank';
import { chooseDonor } from './bank-donor';
import { chooseMouthDonor } from './bank-mouth-donor';
import { renderWarpCrop, renderWarpEdit, type WarpCrop } from './render-warp-edit';
import type { WarpRequest, WarpTaskOptions } from './warp-generator';

export async function createTaskHandler(options: WarpTaskOptions): Promise<TaskHandler<WarpRequest, WarpCrop>> {
  const bank = options.faceBank ? await FaceBank.open(options.faceBank) : undefined;
  return async ({ recipe, inputs, options: editOptions, pasteBack }) => {
    const donor = bank ? await chooseDonor(bank, recipe, inputs, editOptions) : undefined;
    const mouthDonor = bank ? await chooseMouthDonor(bank, recipe, inputs) : undefined;
    return (pasteBack ? renderWarpEdit : renderWarpCrop)(recipe, inputs, { ...editOptions, donor, mouthDonor });
  };
}
