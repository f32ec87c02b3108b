import { applyAffine } from '@facex/imaging';
import { cropToCrop, maskCropToMaskCrop, regionMask, regionsUnion } from './face-geometry';
import { sourceAndTarget } from './testing/synthetic-face';

const { source, target } = sourceAndTarget();

describe('cropToCrop', () => {
  it('is the identity between a face and itself', () => {
    cropToCrop(target.representation, target.representation).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 1, 0][i], 6));
  });

  it('carries the source face centre onto the target face centre, however each image frames its face', () => {
    const [x, y] = applyAffine(cropToCrop(source.representation, target.representation), 256, 290);
    expect(x).toBeCloseTo(256, 1);
    expect(y).toBeCloseTo(290, 1);
  });

  it('shrinks the wider source face towards the target width', () => {
    const m = cropToCrop(source.representation, target.representation);
    expect(Math.hypot(m[0], m[3])).toBeLessThan(1);
    const half = maskCropToMaskCrop(source.representation, target.representation);
    expect(half[0]).toBeCloseTo(m[0], 9);
    expect(half[2]).toBeCloseTo(m[2] / 2, 9);
  });
});

describe('region planes', () => {
  it('a region mask is a view on the stacked planes; a union covers each region', () => {
    const nose = regionMask(target.representation, 'nose');
    expect(nose.data.buffer).toBe(target.representation.masks.buffer);
    const union = regionsUnion(target.representation, ['nose', 'lips']);
    const lips = regionMask(target.representation, 'lips');
    expect(union.data.every((v, i) => v >= nose.data[i] && v >= lips.data[i])).toBe(true);
    expect(union.data.some((v, i) => v > nose.data[i])).toBe(true);
  });
});
