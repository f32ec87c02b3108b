/** assemble: representations + images → the conditions of the edit, stored under `conditions/<editId>/`. */
import { decodeImage } from '@facex/analysis';
import { assembleEdit, usedInputs, type AssemblyInput } from '@facex/assemblers';
import type { Recipe } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
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
  const inputs: AssemblyInput[] = await Promise.all(
    request.assetKeys.map(async (key, index): Promise<AssemblyInput> => {
      if (!used.has(index)) return { representation: null };
      const [representation, decoded] = await Promise.all([
        deps.representations.load(request.representationKeys[index]),
        deps.blobs.get(key).then((bytes) => decodeImage(bytes)),
      ]);
      return { representation, image: decoded.image };
    }),
  );
  await storeConditions(deps.blobs, request.conditionsPrefix, assembleEdit(request.recipe, inputs));
  return { conditionsPrefix: request.conditionsPrefix };
}
