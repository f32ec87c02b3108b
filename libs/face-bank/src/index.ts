export {
  FACE_BANK_FORMAT,
  FACE_BANK_MANIFEST,
  FACE_BANK_NAME,
  faceBankManifestSchema,
  type BankDonorEntry,
  type BankPhoto,
  type FaceBankManifest,
} from './manifest';
export { bankPhotos, operatorPhotos, packagePhotos, type PhotoSource } from './bank-photos';
export { faceFeatures, lightDirection, skinDetail, skinLab, type FaceFeatures, type Lab } from './donor-features';
export { buildFaceBank, ensureFaceBank, expectedBankVersion, MAX_CROP_SCALE, MAX_DONOR_YAW, type FaceBankSources } from './build-face-bank';
export { FaceBank, type BankDonor, type FaceBankOpenOptions } from './face-bank';
export { defaultBankDir, operatorPhotoFolder } from './bank-dir';
export {
  donorId,
  maskOverlap,
  mayDonate,
  rankDonors,
  selectDonor,
  shapeDistance,
  SAME_PERSON_SIMILARITY,
  type DonorCandidate,
  type DonorQuery,
  type DonorScore,
} from './select-donor';
