/**
 * What donor selection compares, all read from FORD's own representation: the head pose, the face's shape with
 * pose and scale removed (the canonical mesh, in inter-ocular distances), the skin colour (CIELAB mean over the
 * skin mask), the skin's fine detail (high-frequency energy on the 512 px crop: sharpness and grain of the
 * photo), the direction of the light (first-order SH lighting relative to the ambient term), mouth and eye
 * openness (expression descriptor), the hair mask, and the identity embedding (to keep a person from being
 * their own donor under another file).
 */
import { EXPRESSION_COMPONENTS, isFacexError, type FaceRepresentation, type HeadPose } from '@facex/contracts';
import { regionMask } from '@facex/assemblers';
import {
  binarizeMask,
  highFrequencyEnergy,
  intersectMasks,
  rgbToLab,
  subtractMasks,
  upsampleMaskBinary2x,
  type MaskPlane,
  type RgbImage,
} from '@facex/imaging';

export type Lab = [number, number, number];

export interface FaceFeatures {
  pose: HeadPose;
  /** MESH_POINTS × (x, y, z), pose and scale removed. */
  canonicalMesh: Float32Array;
  skinLab: Lab;
  /** High-frequency energy of the skin on the 512 px aligned crop (see skinDetail). */
  skinDetail: number;
  /** First-order SH lighting of the luma (y, z, x terms) over its ambient term: where the light comes from. */
  light: [number, number, number];
  mouthOpen: number;
  /** Mean of both eyes' openness (1 = the neutral face's). */
  eyeOpen: number;
  identity: Float32Array;
  /** The hair mask on the 256 px aligned crop (aligned crops of two faces line up eye to eye). */
  hair: Uint8Array;
}

const MOUTH_OPEN = EXPRESSION_COMPONENTS.indexOf('mouthOpen');
const EYE_OPEN_RIGHT = EXPRESSION_COMPONENTS.indexOf('eyeOpenRight');
const EYE_OPEN_LEFT = EXPRESSION_COMPONENTS.indexOf('eyeOpenLeft');

/**
 * Mean CIELAB of `crop256` (the 256 px aligned crop) weighted by the skin mask, leaving out where `exclude`
 * is set (an inpainting hole: its pixels are what is being regenerated). Falls back to the whole skin when the
 * exclusion leaves none, and to mid-grey skin when the face has no skin mask at all.
 */
export function skinLab(rep: FaceRepresentation, crop256: RgbImage, exclude?: MaskPlane): Lab {
  const skin = regionMask(rep, 'skin').data;
  const lab = rgbToLab(crop256);
  const sum = (skip: Uint8Array | undefined): [number, number, number, number] => {
    let w = 0,
      l = 0,
      a = 0,
      b = 0;
    for (let i = 0; i < skin.length; i++) {
      const weight = skip && skip[i] >= 128 ? 0 : skin[i];
      if (weight === 0) continue;
      w += weight;
      l += weight * lab[3 * i];
      a += weight * lab[3 * i + 1];
      b += weight * lab[3 * i + 2];
    }
    return [w, l, a, b];
  };
  let [w, l, a, b] = sum(exclude?.data);
  if (w === 0 && exclude) [w, l, a, b] = sum(undefined);
  return w === 0 ? [50, 0, 0] : [l / w, a / w, b / w];
}

/**
 * High-frequency energy (@facex/imaging) of the skin on the 512 px aligned crop, leaving out `exclude` (256 px)
 * like skinLab, and only `near` it when given (256 px: the skin a transplant will sit among); 0 when no skin
 * interior remains.
 */
export function skinDetail(rep: FaceRepresentation, crop512: RgbImage, exclude?: MaskPlane, near?: MaskPlane): number {
  const skin = near ? intersectMasks(regionMask(rep, 'skin'), binarizeMask(near)) : regionMask(rep, 'skin');
  const area = exclude ? subtractMasks(skin, binarizeMask(exclude)) : skin;
  try {
    return highFrequencyEnergy(crop512, upsampleMaskBinary2x(area), 'skin');
  } catch (error) {
    // No skin interior outside the excluded area: no measure of the photo's detail.
    if (isFacexError(error, 'invalid_representation')) return 0;
    throw error;
  }
}

/** Rec. 601 luma weights of the RGB lighting channels. */
const LUMA = [0.299, 0.587, 0.114];

/** The light's direction and strength relative to the ambient light (contracts FaceEnvironment.lighting). */
export function lightDirection(lighting: Float32Array): [number, number, number] {
  const luma = (k: number) => LUMA.reduce((sum, w, c) => sum + w * lighting[9 * c + k], 0);
  const ambient = luma(0);
  if (!(ambient > 1e-6)) return [0, 0, 0];
  return [luma(1) / ambient, luma(2) / ambient, luma(3) / ambient];
}

/** The features of one face, given its skin colour and detail (see skinLab, skinDetail). */
export function faceFeatures(rep: FaceRepresentation, skin: Lab, detail: number): FaceFeatures {
  const { expression } = rep.motion;
  return {
    pose: rep.motion.pose,
    canonicalMesh: rep.motion.canonicalMesh,
    skinLab: skin,
    skinDetail: detail,
    light: lightDirection(rep.environment.lighting),
    mouthOpen: expression[MOUTH_OPEN],
    eyeOpen: (expression[EYE_OPEN_RIGHT] + expression[EYE_OPEN_LEFT]) / 2,
    identity: rep.identity,
    hair: regionMask(rep, 'hair').data,
  };
}
