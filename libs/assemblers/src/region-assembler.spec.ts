import { FacexError, recipeFromPreset, type Recipe } from '@facex/contracts';
import { pasteBack, warpRgb, type MaskPlane, type RgbImage } from '@facex/imaging';
import { cropToCrop } from './face-geometry';
import type { AssemblyInput } from './inputs';
import { assembleRegions } from './region-assembler';
import { carry, maskAt, rgbAt, sameBytes } from './testing/probes';
import { PROBES, regionAt, sourceAndTarget, syntheticFace, type SyntheticFace } from './testing/synthetic-face';

const { source, target } = sourceAndTarget();
const asInput = (face: SyntheticFace): AssemblyInput => ({ representation: face.representation, image: face.image });
const inputs = [asInput(source), asInput(target)];
const cropOf = (face: SyntheticFace): RgbImage => warpRgb(face.image, face.representation.alignment.matrix, 512, 512);
const luma = ([r, g, b]: readonly number[]) => Math.round(0.299 * r + 0.587 * g + 0.114 * b);

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FacexError);
    return String((error as FacexError).details.field);
  }
  throw new Error('expected a FacexError');
}

/** Outside the inpaint mask I^R is the frame crop; inside it, 0 unless `allowInside` accepts the pixel. */
function expectMaskedOut(reference: RgbImage, mask: MaskPlane, frameCrop: RgbImage, allowInside: (rgb: number[]) => boolean = () => false): void {
  let inside = 0;
  const ref = reference.data,
    crop = frameCrop.data;
  for (let i = 0, p = 0; i < mask.data.length; i++, p += 3) {
    if (mask.data[i] === 0) {
      if (ref[p] !== crop[p] || ref[p + 1] !== crop[p + 1] || ref[p + 2] !== crop[p + 2]) throw new Error(`pixel ${i} outside the mask differs from the frame`);
    } else {
      inside++;
      if ((ref[p] || ref[p + 1] || ref[p + 2]) && !allowInside([ref[p], ref[p + 1], ref[p + 2]]))
        throw new Error(`pixel ${i} inside the mask is ${ref.subarray(p, p + 3)}`);
    }
  }
  expect(inside).toBeGreaterThan(0);
}

describe('face swap (Fig. 4: target with the dilated union of both face areas masked out)', () => {
  const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
  const result = assembleRegions(recipe, inputs);

  it('works in the target frame and pastes back into the target image', () => {
    expect(result.frameInput).toBe(1);
    result.cropToImage.forEach((v, i) => expect(v).toBeCloseTo(target.cropToImage[i], 9));
    expect(result.reference.width).toBe(512);
    expect(result.inpaintMask.data.length).toBe(512 * 512);
  });

  it('masks out the inner face and keeps hair and background', () => {
    for (const probe of [PROBES.nose, PROBES.lips, PROBES.eyeOnImageLeft, PROBES.brow, PROBES.cheek]) {
      expect(maskAt(result.inpaintMask, probe)).toBe(255);
      expect(rgbAt(result.reference, probe)).toEqual([0, 0, 0]);
    }
    expect(maskAt(result.inpaintMask, PROBES.hairTop)).toBe(0);
    expect(rgbAt(result.reference, PROBES.hairTop)).toEqual(target.palette.hair);
    expect(rgbAt(result.reference, PROBES.backgroundCorner)).toEqual(target.palette.background);
    expectMaskedOut(result.reference, result.inpaintMask, cropOf(target));
  });

  it('includes the source face area where it reaches beyond the target face', () => {
    const wide = syntheticFace({ seed: 3, faceWidth: 1.5, centre: [200, 180] });
    const noDilation = assembleRegions(recipe, [asInput(wide), asInput(target)], { dilation: 0 });
    // The edge of the wide source's cheek, carried into the target crop, lands on the target's ear or background.
    const edge = carry(cropToCrop(wide.representation, target.representation), [256 + 1.5 * 125, 300]);
    expect(['ears', 'background', 'hair']).toContain(regionAt(edge[0], edge[1]));
    expect(maskAt(noDilation.inpaintMask, edge)).toBe(255);
    expect(maskAt(noDilation.inpaintMask, PROBES.hairTop)).toBe(0);
  });

  it('dilates: a larger radius masks out more', () => {
    const small = assembleRegions(recipe, inputs, { dilation: 4 });
    const large = assembleRegions(recipe, inputs, { dilation: 30 });
    const count = (m: MaskPlane) => m.data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(count(large.inpaintMask)).toBeGreaterThan(count(small.inpaintMask));
    expect(small.inpaintMask.data.every((v, i) => v <= large.inpaintMask.data[i])).toBe(true);
  });

  it('fuses only inside the face, with a feathered edge', () => {
    expect(maskAt(result.fusionMask, PROBES.nose)).toBe(255);
    expect(maskAt(result.fusionMask, PROBES.hairTop)).toBe(0);
    expect(result.fusionMask.data.some((v) => v > 20 && v < 235)).toBe(true);
  });

  it('a controllable swap (eyes only) still masks the whole face but fuses only around the eyes (Fig. 6, right)', () => {
    const eyes = assembleRegions(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1, regions: ['eyes'] }), inputs);
    expect(maskAt(eyes.inpaintMask, PROBES.lips)).toBe(255);
    expect(maskAt(eyes.fusionMask, PROBES.eyeOnImageRight)).toBe(255);
    expect(maskAt(eyes.fusionMask, PROBES.lips)).toBe(0);
  });
});

describe('paste-back of a generated crop', () => {
  it('lands the fused area on the face in the target image and leaves the rest of the image alone', () => {
    const result = assembleRegions(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), inputs);
    const generated: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(7), width: 512, height: 512 };
    const pasted = pasteBack(target.image, generated, result.cropToImage, result.fusionMask);
    expect(rgbAt(pasted, carry(target.cropToImage, PROBES.nose))).toEqual([7, 7, 7]);
    expect(rgbAt(pasted, carry(target.cropToImage, PROBES.hairTop))).toEqual(target.palette.hair);
    expect(rgbAt(pasted, [2, 2])).toEqual(rgbAt(target.image, [2, 2]));
  });
});

describe('head swap (Fig. 4: grayscale source head on the target background, edges cut by dilation)', () => {
  const result = assembleRegions(recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 }), inputs);
  const toTarget = cropToCrop(source.representation, target.representation);

  it('puts the source head in grayscale where the source head is', () => {
    expect(rgbAt(result.reference, carry(toTarget, PROBES.cheek))).toEqual(Array(3).fill(luma(source.palette.skin)));
    expect(rgbAt(result.reference, carry(toTarget, PROBES.hairTop))).toEqual(Array(3).fill(luma(source.palette.hair)));
    expect(maskAt(result.inpaintMask, carry(toTarget, PROBES.cheek))).toBe(255);
  });

  it('keeps the target background and cuts a blank band around the head', () => {
    expect(rgbAt(result.reference, PROBES.backgroundCorner)).toEqual(target.palette.background);
    let gray = 0,
      blank = 0;
    expectMaskedOut(result.reference, result.inpaintMask, cropOf(target), (rgb) => {
      if (rgb[0] === rgb[1] && rgb[1] === rgb[2]) gray++;
      return rgb[0] === rgb[1] && rgb[1] === rgb[2];
    });
    for (let i = 0; i < result.inpaintMask.data.length; i++) {
      if (result.inpaintMask.data[i] && result.reference.data[i * 3] === 0 && result.reference.data[i * 3 + 1] === 0) blank++;
    }
    expect(gray).toBeGreaterThan(10_000);
    expect(blank).toBeGreaterThan(1_000);
  });
});

describe('reenact and animate (Fig. 4: the whole source)', () => {
  for (const task of [
    { preset: 'reenact', source: 0, driving: 1 },
    { preset: 'animate', source: 0, driving: 1, style: 'anime' },
  ] as const) {
    it(`${task.preset}: I^R is the source crop, the whole crop is redrawn, the result goes back into the source image`, () => {
      const result = assembleRegions(recipeFromPreset(task), inputs);
      expect(result.frameInput).toBe(0);
      expect(sameBytes(result.reference.data, cropOf(source).data)).toBe(true);
      expect(result.inpaintMask.data.every((v) => v === 255)).toBe(true);
      result.cropToImage.forEach((v, i) => expect(v).toBeCloseTo(source.cropToImage[i], 9));
      expect(maskAt(result.fusionMask, [256, 256])).toBe(255);
      expect(maskAt(result.fusionMask, [0, 0])).toBeLessThan(128); // the paste-back seam fades out
    });
  }
});

describe('attribute edit (Fig. 4: chosen regions masked out or added)', () => {
  it('mask-out removes only the chosen regions', () => {
    const result = assembleRegions(recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'mask-out' }, {}, 2), inputs);
    expect(maskAt(result.inpaintMask, PROBES.hairTop)).toBe(255);
    expect(rgbAt(result.reference, PROBES.hairTop)).toEqual([0, 0, 0]);
    expect(rgbAt(result.reference, PROBES.lips)).toEqual(target.palette.lips);
    expect(maskAt(result.fusionMask, PROBES.lips)).toBe(0);
    expectMaskedOut(result.reference, result.inpaintMask, cropOf(target));
  });

  it('add-new pastes the reference regions into the hole', () => {
    const recipe = recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 });
    const result = assembleRegions(recipe, inputs);
    const hair = carry(cropToCrop(source.representation, target.representation), PROBES.hairTop);
    expect(rgbAt(result.reference, hair)).toEqual(source.palette.hair);
    expect(maskAt(result.inpaintMask, hair)).toBe(255);
    expect(rgbAt(result.reference, PROBES.nose)).toEqual(target.palette.nose);
  });

  it('add-new from the target itself pastes its own pixels back unchanged (no resampling into itself)', () => {
    const recipe = recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['hair'], mode: 'add-new', reference: 0 });
    for (const input of [asInput(target), { representation: target.representation, alignedCrop: cropOf(target) }]) {
      const result = assembleRegions(recipe, [input]);
      expect(sameBytes(result.reference.data, cropOf(target).data)).toBe(true);
    }
  });
});

describe('inpaint (Fig. 4: user mask or named regions masked out)', () => {
  it('named regions', () => {
    const result = assembleRegions(recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose'], userMask: false }), [inputs[0]]);
    expect(result.frameInput).toBe(0);
    expect(maskAt(result.inpaintMask, PROBES.nose)).toBe(255);
    expect(maskAt(result.inpaintMask, PROBES.lips)).toBe(0);
  });

  it('a user mask drawn on the full image lands where it was drawn', () => {
    const recipe = recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true });
    const { width, height } = target.image;
    const userMask: MaskPlane = { data: new Uint8Array(width * height), width, height };
    const [x, y] = carry(target.cropToImage, PROBES.cheek).map(Math.round);
    for (let v = y - 10; v <= y + 10; v++) userMask.data.fill(255, v * width + x - 10, v * width + x + 11);
    const result = assembleRegions(recipe, [inputs[1]], { userMask, dilation: 0 });
    expect(maskAt(result.inpaintMask, PROBES.cheek)).toBe(255);
    expect(maskAt(result.inpaintMask, PROBES.nose)).toBe(0);
  });

  it('names the user mask when it is missing, unexpected or of the wrong size', () => {
    const wants = recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true });
    expect(fieldOf(() => assembleRegions(wants, [inputs[0]]))).toBe('userMask');
    const small: MaskPlane = { data: new Uint8Array(4), width: 2, height: 2 };
    expect(fieldOf(() => assembleRegions(wants, [inputs[0]], { userMask: small }))).toBe('userMask');
    const named = recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose'], userMask: false });
    expect(fieldOf(() => assembleRegions(named, [inputs[0]], { userMask: small }))).toBe('userMask');
  });
});

describe('mixture of three inputs', () => {
  it('identity from A, hair from B, expression from C: the face and both hairs are masked out of A', () => {
    const third = syntheticFace({ seed: 5, faceWidth: 0.95 });
    const recipe: Recipe = recipeFromPreset({ preset: 'mixture', frame: 1 }, { identity: 1, hair: 0, expression: 2 });
    const result = assembleRegions(recipe, [...inputs, asInput(third)]);
    expect(result.frameInput).toBe(1);
    expect(maskAt(result.inpaintMask, PROBES.hairTop)).toBe(255);
    expect(maskAt(result.inpaintMask, PROBES.lips)).toBe(255); // the new expression reshapes the face
    expect(maskAt(result.inpaintMask, PROBES.backgroundCorner)).toBe(0);
  });
});

describe('bad inputs are named', () => {
  const swap = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });

  it('an input with no face', () => {
    expect(fieldOf(() => assembleRegions(swap, [inputs[0], { representation: null, image: target.image }]))).toBe('inputs[1]');
    const none = { ...target.representation, faceCount: 0 };
    expect(fieldOf(() => assembleRegions(swap, [inputs[0], { representation: none, image: target.image }]))).toBe('inputs[1]');
  });

  it('the wrong number of inputs, no pixels, another model pack, truncated masks', () => {
    expect(fieldOf(() => assembleRegions(swap, [inputs[0]]))).toBe('inputs');
    expect(fieldOf(() => assembleRegions(swap, [{ representation: source.representation }, inputs[1]]))).toBe('inputs[0].image');
    const other = { ...target.representation, modelPack: { name: 'other', version: '1' } };
    expect(fieldOf(() => assembleRegions(swap, [inputs[0], { ...inputs[1], representation: other }]))).toBe('inputs[1].modelPack');
    const cut = { ...target.representation, masks: new Uint8Array(10) };
    expect(fieldOf(() => assembleRegions(swap, [inputs[0], { ...inputs[1], representation: cut }]))).toBe('inputs[1].masks');
  });

  it('an input the recipe does not use is not checked', () => {
    const inpaint = recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose'], userMask: false }, {}, 2);
    expect(assembleRegions(inpaint, [inputs[0], { representation: null }]).frameInput).toBe(0);
  });

  it('an aligned crop can stand in for the image', () => {
    const viaCrop = assembleRegions(swap, [
      { representation: source.representation, alignedCrop: cropOf(source) },
      { representation: target.representation, alignedCrop: cropOf(target) },
    ]);
    expect(sameBytes(viaCrop.reference.data, assembleRegions(swap, inputs).reference.data)).toBe(true);
  });
});
