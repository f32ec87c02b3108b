import { decodeImage } from '@facex/analysis';
import type { AssemblyInput } from '@facex/assemblers';
import { decodeRepresentation } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from './repositories/representation-repository';

/**
 * The assemblers' inputs from storage: per input its representation and decoded full image, or no face where
 * its representation key is empty (an input the recipe does not use). For generators that paste into the
 * frame's full image.
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

/**
 * The same inputs with each face's stored 512 px aligned crop in place of its full image: a 512² PNG decode
 * instead of a full-image decode and resampling. Empty representation keys give no face, as above.
 */
export function loadCroppedAssemblyInputs(representations: RepresentationRepository, representationKeys: readonly string[]): Promise<AssemblyInput[]> {
  return Promise.all(
    representationKeys.map(async (representationKey, index): Promise<AssemblyInput> => {
      if (!representationKey) return { representation: null };
      const representation = await representations.load(representationKey);
      return { representation, alignedCrop: await representations.loadAlignedCrop(representation, `inputs[${index}]`) };
    }),
  );
}
