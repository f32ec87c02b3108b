/**
 * The colour terms of the hair and ear planes. They are computed on a half-size grid (grid pixel (u, v) at crop
 * point (2u, 2v)) and brought back to the crop bilinearly: it quarters the colour work (warp, CIELAB from
 * @facex/imaging, model, scoring), and the planes' sharp edges come from the full-size person mask and oval they are multiplied with.
 */
import { Affine2D } from '@facex/contracts';
import { composeAffine, RgbImage, rgbToLab, scaleAffine, squaredDistanceToMask, upsampleMask2x, warpRgb } from '@facex/imaging';
import { faceFrame } from './face-frame';
import { fitHairColourModel, HAIR_PRIOR_ZERO_PER_IOD, headProximityPrior, scoreHairColour } from './hair-model';

/** Below this person-mask value a pixel is neither hair nor ear, so it is not scored. */
export const MIN_PERSON = 1 / 255;

export interface HairColourInputs {
  image: RgbImage;
  /** Image → crop pixels. */
  imageToCrop: Affine2D;
  /** MESH_POINTS × 3 mesh in crop pixels. */
  points: Float32Array;
  /** Crop-size planes: person mask and oval coverage (0…1), skin and oval (0…255). */
  person: Float32Array;
  oval: Float32Array;
  skin: Uint8Array;
  ovalMask: Uint8Array;
  /** Crop width (= height), even. */
  size: number;
}

export interface HairColourPlanes {
  /** P(hair | colour) among hair, skin and other, times the spatial prior (0…255, crop size). */
  hair: Uint8Array;
  /** P(hair | colour) between hair and skin only (0…255, crop size): what rejects an ear. */
  hairOverSkin: Uint8Array;
}

export function hairColourPlanes({ image, imageToCrop, points, person, oval, skin, ovalMask, size }: HairColourInputs): HairColourPlanes {
  const half = size >> 1;
  const count = half * half;
  const gridPerson = new Float32Array(count);
  const gridOval = new Float32Array(count);
  const gridSkin = new Uint8Array(count);
  const gridOvalMask = new Uint8Array(count);
  for (let v = 0, q = 0; v < half; v++) {
    for (let u = 0; u < half; u++, q++) {
      const p = 2 * v * size + 2 * u;
      gridPerson[q] = person[p];
      gridOval[q] = oval[p];
      gridSkin[q] = skin[p];
      gridOvalMask[q] = ovalMask[p];
    }
  }
  const gridPoints = Float32Array.from(points, (c) => c / 2);
  const frame = faceFrame(gridPoints);
  const reach = HAIR_PRIOR_ZERO_PER_IOD * frame.interOcular;
  const distance2 = squaredDistanceToMask({ data: gridOvalMask, width: half, height: half }, { limit: Math.ceil(reach) + 1 });
  // Hair and ears are scored on the person within the prior's reach (which includes the oval, for the skin seed).
  const needed = new Uint8Array(count);
  for (let q = 0; q < count; q++) needed[q] = gridPerson[q] >= MIN_PERSON && distance2[q] < reach * reach ? 1 : 0;
  const lab = rgbToLab(warpRgb(image, composeAffine(scaleAffine(0.5), imageToCrop), half, half));
  const model = fitHairColourModel({ lab, person: gridPerson, oval: gridOval, skin: gridSkin, squaredDistanceToOval: distance2, frame, size: half });

  const hair = new Uint8Array(count);
  const hairOverSkin = new Uint8Array(count);
  const score = new Float64Array(2);
  for (let q = 0; q < count; q++) {
    if (needed[q] === 0) continue;
    scoreHairColour(model, lab[3 * q], lab[3 * q + 1], lab[3 * q + 2], score);
    hair[q] = score[0] * headProximityPrior(distance2[q], frame.interOcular) * 255 + 0.5;
    hairOverSkin[q] = score[1] * 255 + 0.5;
  }
  return {
    hair: upsampleMask2x({ data: hair, width: half, height: half }).data,
    hairOverSkin: upsampleMask2x({ data: hairOverSkin, width: half, height: half }).data,
  };
}
