/** The pool worker's task module: one `renderWarpEdit` per request, nothing to load. */
import type { TaskHandler } from '@facex/runtime';
import { renderWarpEdit, type WarpEdit } from './render-warp-edit';
import type { WarpRequest } from './warp-generator';

export async function createTaskHandler(): Promise<TaskHandler<WarpRequest, WarpEdit>> {
  return async (request) => renderWarpEdit(request.recipe, request.inputs, request.options);
}
