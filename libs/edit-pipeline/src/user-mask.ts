/**
 * A user-drawn inpainting mask from the blob store: the uploaded image decoded as any asset is (EXIF-oriented,
 * so it lies on the image as the user saw both) and read as its luma, white where the image is regenerated.
 */
import { decodeImage } from '@facex/analysis';
import { maskSizeError } from '@facex/contracts';
import { lumaPlane, type MaskPlane } from '@facex/imaging';
import type { BlobStore } from '@facex/storage';

/**
 * The mask at `key`. With `size` (the inpainted image's), a mask of another size is refused with
 * FacexError('invalid_recipe') on the request's `mask` field.
 */
export async function loadUserMask(blobs: BlobStore, key: string, size?: { width: number; height: number }): Promise<MaskPlane> {
  const { image } = await decodeImage(await blobs.get(key));
  const wrongSize = size && maskSizeError(image, size);
  if (wrongSize) throw wrongSize;
  return lumaPlane(image);
}
