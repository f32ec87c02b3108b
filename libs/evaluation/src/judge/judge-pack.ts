/**
 * The evaluation's judge pack (`facex-judge`, beside and apart from FORD's `facex-ford`): face-api's SSD
 * MobileNet v1 detector, 68-point landmark net and FaceRecognitionNet, built as ONNX from face-api's
 * architecture and the weights manifests @vladmandic/face-api ships, checked against pinned hashes. FORD
 * never loads it; only the evaluation does. The manifest is written last, so an interrupted build never
 * looks complete, and loading re-checks every file's size and hash.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { FacexError } from '@facex/contracts';
import { decodeWeights, MANIFEST_FILE, readPackManifest, readPinned, sha256Hex, verifyFile, type ConstTensor, type PinnedSource } from '@facex/model-pack';
import { ONNX_OPSET } from '@facex/onnx';
import { buildLandmarkGraph, LANDMARK_INPUT } from './graph/landmark-net';
import { buildRecognitionGraph, RECOGNITION_INPUT } from './graph/recognition-net';
import { buildSsdGraph, SSD_INPUT } from './graph/ssd-mobilenet';

export const JUDGE_PACK_NAME = 'facex-judge';
/** Bump when the graphs built from the same sources change; it is part of the pack version. */
export const JUDGE_BUILDER_VERSION = '1.0.0';
export const JUDGE_MODEL_IDS = ['detector', 'landmarks', 'recognition'] as const;
export type JudgeModelId = (typeof JUDGE_MODEL_IDS)[number];

const MODEL_DIR = '@vladmandic/face-api/model';
const LICENCE = '@vladmandic/face-api is MIT licensed (Copyright (c) Vladimir Mandic; face-api.js (c) Vincent Mühler)';

interface JudgeModelDefinition {
  task: string;
  /** face-api's weights manifest and its weight file. */
  manifest: PinnedSource;
  weights: PinnedSource;
  input: { name: string; size: number };
  origin: string;
  build: (weights: ReadonlyMap<string, ConstTensor>, version: string) => Uint8Array;
}

/** Pinned sha256 of @vladmandic/face-api 1.7.15's model files. */
export const JUDGE_MODELS: Readonly<Record<JudgeModelId, JudgeModelDefinition>> = {
  detector: {
    task: 'face detection: 5118 anchor boxes and face scores',
    manifest: { path: `${MODEL_DIR}/ssd_mobilenetv1_model-weights_manifest.json`, sha256: '888f744dffbc84f5f060d1f8427d9742341943a2dfaaf9205d10029b7e7a2955' },
    weights: { path: `${MODEL_DIR}/ssd_mobilenetv1_model.bin`, sha256: '2835640602d53718aa6ae9a42896327eaa21beefed056c218d32ca7d79e1e2f8' },
    input: SSD_INPUT,
    origin: "face-api.js SSD MobileNet v1 (WIDERFACE-trained), graph built from face-api's src/ssdMobilenetv1",
    build: buildSsdGraph,
  },
  landmarks: {
    task: '68 face landmarks (iBUG scheme)',
    manifest: { path: `${MODEL_DIR}/face_landmark_68_model-weights_manifest.json`, sha256: 'ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9' },
    weights: { path: `${MODEL_DIR}/face_landmark_68_model.bin`, sha256: '4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b' },
    input: LANDMARK_INPUT,
    origin: "face-api.js FaceLandmark68Net, graph built from face-api's src/faceLandmarkNet and src/faceFeatureExtractor",
    build: buildLandmarkGraph,
  },
  recognition: {
    task: '128-d face descriptor',
    manifest: { path: `${MODEL_DIR}/face_recognition_model-weights_manifest.json`, sha256: 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b' },
    weights: { path: `${MODEL_DIR}/face_recognition_model.bin`, sha256: 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589' },
    input: RECOGNITION_INPUT,
    origin: "face-api.js FaceRecognitionNet (a port of dlib's ResNet-34 face recogniser), graph built from face-api's src/faceRecognitionNet",
    build: buildRecognitionGraph,
  },
};

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const judgeModelSchema = z.object({
  task: z.string().min(1),
  file: z.string().regex(/^[A-Za-z0-9._-]+$/),
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
  sources: z.array(z.object({ path: z.string().min(1), sha256: sha256Schema })).length(2),
  /** NHWC float32 pixels 0…255, size × size. */
  input: z.object({ name: z.string().min(1), size: z.number().int().positive() }),
  licence: z.string().min(1),
  origin: z.string().min(1),
});
export const judgeManifestSchema = z.object({
  name: z.literal(JUDGE_PACK_NAME),
  version: z.string().min(1),
  format: z.literal('onnx'),
  opset: z.number().int().positive(),
  models: z.object({ detector: judgeModelSchema, landmarks: judgeModelSchema, recognition: judgeModelSchema }),
});
export type JudgeManifest = z.infer<typeof judgeManifestSchema>;

/** Written beside and renamed into place: a reader (or a concurrent build) never sees half a file. */
async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}
const PINNED_IN = 'libs/evaluation/src/judge/judge-pack.ts';

/** $FACEX_MODELS_DIR (default <repo>/models) / facex-judge. */
export function defaultJudgePackDir(): string {
  return join(resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '../../../../models')), JUDGE_PACK_NAME);
}

function defaultSourceRoot(): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), '..', '..');
}

/** Builder version plus a digest of every pinned source hash, so either change shows. */
export function expectedJudgeVersion(): string {
  const sources = JUDGE_MODEL_IDS.flatMap((id) => [JUDGE_MODELS[id].manifest, JUDGE_MODELS[id].weights]);
  return `${JUDGE_BUILDER_VERSION}+${sha256Hex([JUDGE_BUILDER_VERSION, ...sources.map((s) => `${s.path}:${s.sha256}`)].join('\n')).slice(0, 16)}`;
}

/** One model's ONNX bytes, built from the pinned face-api files under `sourceRoot` (node_modules). */
export async function buildJudgeModel(id: JudgeModelId, sourceRoot = defaultSourceRoot()): Promise<Uint8Array> {
  const definition = JUDGE_MODELS[id];
  const manifest: unknown = JSON.parse((await readPinned(sourceRoot, definition.manifest, PINNED_IN)).toString('utf8'));
  const weights = await readPinned(sourceRoot, definition.weights, PINNED_IN);
  const parsed = z.array(z.looseObject({ paths: z.array(z.string()), weights: z.array(z.any()) })).safeParse(manifest);
  if (!parsed.success)
    throw new FacexError('model_pack_invalid', `${definition.manifest.path} is not a TF.js weights manifest`, { file: definition.manifest.path });
  return definition.build(decodeWeights({ weightsManifest: parsed.data }, weights), expectedJudgeVersion());
}

/** The manifest of the judge pack in `dir`, after checking every model file's size and hash. */
export async function loadJudgePack(dir = defaultJudgePackDir()): Promise<JudgeManifest> {
  const manifest = await readPackManifest(dir, judgeManifestSchema, 'judge pack');
  for (const id of JUDGE_MODEL_IDS) await verifyFile(dir, manifest.models[id].file, manifest.models[id].bytes, manifest.models[id].sha256);
  return manifest;
}

export async function buildJudgePack(dir = defaultJudgePackDir(), sourceRoot = defaultSourceRoot()): Promise<JudgeManifest> {
  await mkdir(dir, { recursive: true });
  const models = {} as JudgeManifest['models'];
  for (const id of JUDGE_MODEL_IDS) {
    const definition = JUDGE_MODELS[id];
    const bytes = await buildJudgeModel(id, sourceRoot);
    const file = `${id}.onnx`;
    await writeAtomically(join(dir, file), bytes);
    models[id] = {
      task: definition.task,
      file,
      sha256: sha256Hex(bytes),
      bytes: bytes.byteLength,
      sources: [definition.manifest, definition.weights].map(({ path, sha256 }) => ({ path, sha256 })),
      input: { ...definition.input },
      licence: LICENCE,
      origin: definition.origin,
    };
  }
  const manifest: JudgeManifest = { name: JUDGE_PACK_NAME, version: expectedJudgeVersion(), format: 'onnx', opset: ONNX_OPSET, models };
  await writeAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Keeps a current pack whose files verify, otherwise (re)builds it. */
export async function ensureJudgePack(dir = defaultJudgePackDir()): Promise<{ manifest: JudgeManifest; rebuilt: boolean }> {
  const existing = await loadJudgePack(dir).catch(() => undefined);
  if (existing && existing.version === expectedJudgeVersion()) return { manifest: existing, rebuilt: false };
  return { manifest: await buildJudgePack(dir), rebuilt: true };
}
