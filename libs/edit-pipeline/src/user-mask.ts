/**
 * A user-drawn inpainting mask from the blob store: the uploaded image decoded as any asset is (EXIF-oriented,
 * so it lies on the image as the user saw both) and read as its luma, white where the image is regenerated.
 */
import { decodeImage } from '@facex/analysis';
import { FacexError } from '@facex/contracts';
import { lumaPlane, type MaskPlane } from '@facex/imaging';
import type { BlobStore } from '@facex/storage';

/**
 * The mask at `key`. With `size` (the inpainted image's), a mask of another size is refused with
 * FacexError('invalid_recipe') on the request's `mask` field.
 */
export async function loadUserMask(blobs: BlobStore, key: string, size?: { width: number; height: number }): Promise<MaskPlane> {
  const { image } = await decodeImage(await blobs.get(key));
  if (size && (image.width !== size.width || image.height !== size.height)) {
    const { width, height } = size;
    throw new FacexError('invalid_recipe', `mask: the mask is ${image.width}×${image.height}, the inpainted image ${width}×${height}`, { field: 'mask' });
  }
  return lumaPlane(image);
}
