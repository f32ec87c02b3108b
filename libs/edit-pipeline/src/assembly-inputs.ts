import { decodeImage } from '@facex/analysis';
import type { AssemblyInput } from '@facex/assemblers';
import { decodeRepresentation } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';

/**
 * The assemblers' inputs from storage: per input its representation and decoded image, or no face where its
 * representation key is empty (an input the recipe does not use).
 */
export function loadAssemblyInputs(blobs: BlobStore, assetKeys: readonly string[], representationKeys: readonly string[]): Promise<AssemblyInput[]> {
  return Promise.all(
    assetKeys.map(async (assetKey, index): Promise<AssemblyInput> => {
      const representationKey = representationKeys[index];
      if (!representationKey) return { representation: null };
      const [representation, decoded] = await Promise.all([
        blobs.get(representationKey).then(decodeRepresentation),
        blobs.get(assetKey).then((bytes) => decodeImage(bytes)),
      ]);
      return { representation, image: decoded.image };
    }),
  );
}
