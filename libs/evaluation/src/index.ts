export { analyzeSamplePeople, loadSamplePeople, type Person } from './sample-people';
export { orderedPairs, type PersonPair } from './pairs';
export { expressionError, gazeError, identitySimilarity, poseError } from './face-metrics';
export {
  EVAL_TASKS,
  faceAtFrame,
  naivePaste,
  pairRecipe,
  sourceMotionMethod,
  sourceMotionRecipe,
  runEvaluation,
  type EvalTask,
  type EvaluationResult,
  type EvaluationSetup,
  type MeasureFunction,
  type MethodSummary,
  type PairOutput,
  type RenderedEdit,
  type RenderFunction,
  type SelfSummary,
} from './harness';
export { evaluationMarkdown } from './report';
export { contactSheet, CELL, type SheetCell } from './contact-sheet';
export { encodePng } from './png';
