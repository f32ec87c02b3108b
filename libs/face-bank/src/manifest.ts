/**
 * The face bank's manifest (`manifest.json`): which photos the donors come from, which FORD model pack
 * analysed them, and every donor's files with their sizes and hashes. The version digests the pack version,
 * the photos' hashes and the bank's format, so a change of either gives a new bank.
 */
import { z } from 'zod';

export const FACE_BANK_NAME = 'facex-face-bank';
/** Bump when the donor files or the features change meaning. */
export const FACE_BANK_FORMAT = 2;
export const FACE_BANK_MANIFEST = 'manifest.json';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');
const fileSchema = z.object({
  file: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a plain file name inside the bank'),
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
});

export const bankPhotoSchema = z.object({
  /** Where the photo came from, for people: `@vladmandic/face-api/demo/sample1.jpg`, `operator/alice.jpg`. */
  label: z.string().min(1),
  sha256: sha256Schema,
  origin: z.enum(['package', 'operator']),
  licence: z.string().min(1),
});

export const bankDonorSchema = z.object({
  /** `<photo sha256>#<face index>`: what leave-one-out compares against an edit's inputs. */
  id: z.string().regex(/^[0-9a-f]{64}#\d+$/),
  /** Index into `photos`. */
  photo: z.number().int().min(0),
  faceIndex: z.number().int().min(0),
  /** The FaceRepresentation (safetensors, contracts' codec). */
  representation: fileSchema,
  /** The 512 px aligned crop (PNG). */
  crop: fileSchema,
  /** Mean CIELAB of the skin on the 256 px crop, weighted by the skin mask. */
  skinLab: z.tuple([z.number(), z.number(), z.number()]),
  /** High-frequency energy of the skin on the 512 px crop (its sharpness and grain). */
  skinDetail: z.number().nonnegative(),
});

export const faceBankManifestSchema = z.object({
  name: z.literal(FACE_BANK_NAME),
  format: z.literal(FACE_BANK_FORMAT),
  version: z.string().min(1),
  modelPack: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  photos: z.array(bankPhotoSchema),
  donors: z.array(bankDonorSchema),
});

export type BankPhoto = z.infer<typeof bankPhotoSchema>;
export type BankDonorEntry = z.infer<typeof bankDonorSchema>;
export type FaceBankManifest = z.infer<typeof faceBankManifestSchema>;
