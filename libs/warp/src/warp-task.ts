/** The pool worker's task module: one render per request, pasted back or not as asked; nothing to load. */
import type { TaskHandler } from '@facex/runtime';
import { renderWarpCrop, renderWarpEdit, type WarpCrop } from './render-warp-edit';
import type { WarpRequest } from './warp-generator';

export async function createTaskHandler(): Promise<TaskHandler<WarpRequest, WarpCrop>> {
  return async ({ recipe, inputs, options, pasteBack }) => (pasteBack ? renderWarpEdit : renderWarpCrop)(recipe, inputs, options);
}
