/**
 * The person-segmentation mask resampled onto the aligned crop. Minimal and local on purpose: the imaging
 * library's warps work on 8-bit planes, while this reads the model's float mask (any size, over the whole
 * image or a crop of it) directly at the crop's pixels, which is cheaper than converting it first.
 */
import { Affine2D, FacexError } from '@facex/contracts';
import { composeAffine, invertAffine } from '@facex/imaging';

export interface PersonMask {
  /** 0…1, row-major. */
  data: Float32Array;
  width: number;
  height: number;
  /**
   * Image pixels → mask pixels, for a mask computed on a crop of the image. Without it the mask is taken to
   * cover the whole image, stretched to its size.
   */
  imageToMask?: Affine2D;
}

/**
 * Bilinear samples of `mask` at every pixel of a size × size crop, where `imageToCrop` maps image pixels to
 * crop pixels; the image is imageWidth × imageHeight (used when the mask has no imageToMask). Outside the
 * mask's area reads 0.
 */
export function personMaskOnCrop(mask: PersonMask, imageWidth: number, imageHeight: number, imageToCrop: Affine2D, size: number): Float32Array {
  const { data, width, height } = mask;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
    throw new FacexError('invalid_representation', `person mask must hold width × height values (${width}×${height}, got ${data.length})`, {
      field: 'personMask',
    });
  }
  if (!(imageWidth > 0 && imageHeight > 0)) {
    throw new FacexError('invalid_representation', 'image size must be positive', { field: 'imageSize' });
  }
  // Pixel centres on integer points in both grids: when stretched, mask coordinate = (image coordinate + ½) · ratio − ½.
  const rx = width / imageWidth;
  const ry = height / imageHeight;
  const imageToMask: Affine2D = mask.imageToMask ?? [rx, 0, 0.5 * rx - 0.5, 0, ry, 0.5 * ry - 0.5];
  const [a, b, tx, c, d, ty] = composeAffine(imageToMask, invertAffine(imageToCrop));
  const out = new Float32Array(size * size);
  const lastX = width - 1;
  const lastY = height - 1;
  for (let v = 0; v < size; v++) {
    // Mask coordinates step by (a, c) along a row: no per-pixel matrix product.
    let mx = b * v + tx;
    let my = d * v + ty;
    for (let u = 0, p = v * size; u < size; u++, p++, mx += a, my += c) {
      // The mask covers its pixels' area; outside it there is no person, inside edge pixels extend to the border.
      if (mx < -0.5 || my < -0.5 || mx > width - 0.5 || my > height - 0.5) continue;
      const x = mx < 0 ? 0 : mx > lastX ? lastX : mx;
      const y = my < 0 ? 0 : my > lastY ? lastY : my;
      const x0 = x | 0;
      const y0 = y | 0;
      const x1 = x0 < lastX ? x0 + 1 : x0;
      const y1 = y0 < lastY ? y0 + 1 : y0;
      const fx = x - x0;
      const fy = y - y0;
      const r0 = y0 * width;
      const r1 = y1 * width;
      const top = data[r0 + x0] + (data[r0 + x1] - data[r0 + x0]) * fx;
      const bottom = data[r1 + x0] + (data[r1 + x1] - data[r1 + x0]) * fx;
      out[p] = top + (bottom - top) * fy;
    }
  }
  return out;
}
