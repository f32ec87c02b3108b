export { analyzeSamplePeople, loadSamplePeople, type Person } from './sample-people';
export { orderedPairs, type PersonPair } from './pairs';
export { hardestPairs, poseGap, sheetPairs, SHEET_ROWS } from './sheet-pairs';
export { expressionError, gazeError, identitySimilarity, poseError } from './face-metrics';
export { changedOutside, highFrequencyEnergy, highFrequencyRatio, seamEnergy, seamRatio } from './image-measures';
export { descriptorDistance, judgedFaceAt, judgeGallery, nearestIdentity, SAME_PERSON_DISTANCE } from './judge-identity';
export { EVAL_TASKS, TASKS, drawnMask, selfPairs, type BaselineName, type EvalTask, type TaskDefinition } from './tasks';
export {
  faceAtFrame,
  holeFilled,
  naivePaste,
  runEvaluation,
  variantMethod,
  type EvaluatedGenerator,
  type EvaluationResult,
  type EvaluationSetup,
  type JudgeFunction,
  type MeasureFunction,
  type MethodSummary,
  type PairRecord,
  type RenderedEdit,
  type RenderFunction,
  type SelfSummary,
  type SheetRow,
} from './harness';
export { evaluationMarkdown, references } from './report';
export { contactSheet, labelledContactSheet, wrapLabel, CELL, type SheetCell } from './contact-sheet';
export { encodePng } from './png';
export { FaceJudge, type FaceJudgeOptions, type JudgedFace } from './judge/face-judge';
export { buildJudgePack, ensureJudgePack, loadJudgePack, defaultJudgePackDir, JUDGE_PACK_NAME, type JudgeManifest } from './judge/judge-pack';
export { parseResults, serialiseResults, storeResults, withEarlierRevisions, RESULTS_FORMAT, type StoredResults } from './results';
export {
  MONOTONE_CONTROLS,
  MOTION_REQUESTS,
  MOTION_TOLERANCE,
  SHEET_REQUESTS,
  motionMarkdown,
  runMotionEvaluation,
  summarise as summariseMotion,
  type MotionEvaluation,
  type MotionRecord,
  type MotionRequest,
  type MotionSummary,
} from './motion-eval';
