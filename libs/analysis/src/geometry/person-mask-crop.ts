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
    throw new FacexError('invalid_representation', `person mask must hold width × height values (${width}×${height}, got ${data.length})`, { field: 'personMask' });
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
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let mx = a * u + b * v + tx;
      let my = c * u + d * v + ty;
      // The mask covers its pixels' area; outside it there is no person, inside edge pixels extend to the border.
      if (mx < -0.5 || my < -0.5 || mx > width - 0.5 || my > height - 0.5) continue;
      mx = mx < 0 ? 0 : mx > width - 1 ? width - 1 : mx;
      my = my < 0 ? 0 : my > height - 1 ? height - 1 : my;
      const x0 = Math.min(Math.floor(mx), width - 2 < 0 ? 0 : width - 2);
      const y0 = Math.min(Math.floor(my), height - 2 < 0 ? 0 : height - 2);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const fx = mx - x0;
      const fy = my - y0;
      const top = data[y0 * width + x0] * (1 - fx) + data[y0 * width + x1] * fx;
      const bottom = data[y1 * width + x0] * (1 - fx) + data[y1 * width + x1] * fx;
      out[v * size + u] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
