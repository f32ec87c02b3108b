/**
 * assemble: representations + their stored aligned crops → the conditions of the edit, stored under
 * `conditions/<editId>/`. The inputs' full images are not read: no recipe the service assembles needs them
 * (it passes no user mask, the one thing drawn on the full image).
 */
import { assembleEdit, usedInputs } from '@facex/assemblers';
import type { Recipe } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
import { loadCroppedAssemblyInputs } from '../assembly-inputs';
import { storeConditions } from '../conditions-codec';

export interface AssembleDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
}

export interface AssembleRequest {
  recipe: Recipe;
  assetKeys: readonly string[];
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
  };
  const inputs = await loadCroppedAssemblyInputs(deps.representations, sources.representationKeys);
  await storeConditions(deps.blobs, request.conditionsPrefix, assembleEdit(request.recipe, inputs), sources);
  return { conditionsPrefix: request.conditionsPrefix };
}
