/**
 * assemble: representations + their stored aligned crops (+ the user's inpainting mask, when the recipe takes
 * one) → the conditions of the edit, stored under `conditions/<editId>/`. The inputs' full images are not
 * read: the mask is drawn on the full image, but the assembler carries it into the crop itself.
 */
import { assembleEdit, usedInputs } from '@facex/assemblers';
import { outputFrameInput, type Recipe } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
import { loadCroppedAssemblyInputs } from '../assembly-inputs';
import { storeConditions } from '../conditions-codec';
import { loadUserMask } from '../user-mask';

export interface AssembleDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
  /** The conditions expire with the result rendered from them. */
  resultTtlMs: number;
}

export interface AssembleRequest {
  recipe: Recipe;
  assetKeys: readonly string[];
  maskAssetKey?: string;
  /** Per input, its representation's blob key. */
  representationKeys: readonly string[];
  conditionsPrefix: string;
}

export async function assembleConditions(deps: AssembleDeps, request: AssembleRequest): Promise<{ conditionsPrefix: string }> {
  const used = usedInputs(request.recipe);
  const sources = {
    recipe: request.recipe,
    assetKeys: request.assetKeys,
    representationKeys: request.representationKeys.map((key, index) => (used.has(index) ? key : '')),
    ...(request.maskAssetKey ? { maskAssetKey: request.maskAssetKey } : {}),
  };
  const inputs = await loadCroppedAssemblyInputs(deps.representations, sources.representationKeys);
  const frame = inputs[outputFrameInput(request.recipe.task)]?.representation;
  const userMask = request.maskAssetKey && frame ? await loadUserMask(deps.blobs, request.maskAssetKey, frame.asset) : undefined;
  await storeConditions(
    deps.blobs,
    request.conditionsPrefix,
    assembleEdit(request.recipe, inputs, { userMask }),
    sources,
    new Date(Date.now() + deps.resultTtlMs),
  );
  return { conditionsPrefix: request.conditionsPrefix };
}
