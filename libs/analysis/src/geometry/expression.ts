/**
 * The expression descriptor: action-unit-like measures on the canonical mesh (pose and scale removed by
 * fitHead, units = inter-ocular distance), each relative to the canonical neutral face so that identity-free
 * comparisons across people are possible. Component names, order and meaning: contracts EXPRESSION_COMPONENTS.
 * Frame: x toward the subject's left, y down, z away from the camera.
 */
import { EXPRESSION_COMPONENTS } from '@facex/contracts';
import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { assertMesh, meanOfPoints } from './mesh-points';

export type ExpressionComponent = (typeof EXPRESSION_COMPONENTS)[number];

type Mesh = ArrayLike<number>;
const x = (m: Mesh, i: number): number => m[3 * i];
const y = (m: Mesh, i: number): number => m[3 * i + 1];
const z = (m: Mesh, i: number): number => m[3 * i + 2];
const distance = (m: Mesh, i: number, j: number): number => Math.hypot(x(m, i) - x(m, j), y(m, i) - y(m, j), z(m, i) - z(m, j));
const lipCentreY = (m: Mesh): number => (y(m, LANDMARK.upperLipInner) + y(m, LANDMARK.lowerLipInner)) / 2;
/** Brow above the eye corners (not the lids, which move when the eye closes). */
const browHeight = (m: Mesh, brow: readonly number[], outer: number, inner: number): number => (y(m, outer) + y(m, inner)) / 2 - meanOfPoints(m, brow)[1];
const RIGHT_BROW = MESH_ANNOTATIONS.rightEyebrowUpper.slice(1, 6);
const LEFT_BROW = MESH_ANNOTATIONS.leftEyebrowUpper.slice(1, 6);

/** Raw measure of each component on a canonical mesh; the descriptor subtracts (or divides by) the neutral value. */
const MEASURES: Record<ExpressionComponent, { measure: (m: Mesh) => number; relative: 'difference' | 'ratio' }> = {
  mouthOpen: { measure: (m) => y(m, LANDMARK.lowerLipInner) - y(m, LANDMARK.upperLipInner), relative: 'difference' },
  mouthWidth: { measure: (m) => distance(m, LANDMARK.rightMouthCorner, LANDMARK.leftMouthCorner), relative: 'difference' },
  lipCornerLiftRight: { measure: (m) => lipCentreY(m) - y(m, LANDMARK.rightMouthCorner), relative: 'difference' },
  lipCornerLiftLeft: { measure: (m) => lipCentreY(m) - y(m, LANDMARK.leftMouthCorner), relative: 'difference' },
  upperLipRaise: { measure: (m) => -(y(m, LANDMARK.upperLipTop) - y(m, LANDMARK.noseBottom)), relative: 'difference' },
  lowerLipDepress: { measure: (m) => -(y(m, LANDMARK.chin) - y(m, LANDMARK.lowerLipBottom)), relative: 'difference' },
  lipPucker: {
    measure: (m) => (z(m, LANDMARK.rightMouthCorner) + z(m, LANDMARK.leftMouthCorner)) / 2 - (z(m, LANDMARK.upperLipTop) + z(m, LANDMARK.lowerLipBottom)) / 2,
    relative: 'difference',
  },
  jawDrop: { measure: (m) => y(m, LANDMARK.chin) - y(m, LANDMARK.noseBottom), relative: 'difference' },
  jawShift: { measure: (m) => x(m, LANDMARK.chin), relative: 'difference' },
  mouthShift: { measure: (m) => (x(m, LANDMARK.rightMouthCorner) + x(m, LANDMARK.leftMouthCorner)) / 2, relative: 'difference' },
  eyeOpenRight: { measure: (m) => y(m, LANDMARK.rightEyeLowerLid) - y(m, LANDMARK.rightEyeUpperLid), relative: 'ratio' },
  eyeOpenLeft: { measure: (m) => y(m, LANDMARK.leftEyeLowerLid) - y(m, LANDMARK.leftEyeUpperLid), relative: 'ratio' },
  browRaiseRight: { measure: (m) => browHeight(m, RIGHT_BROW, LANDMARK.rightEyeOuterCorner, LANDMARK.rightEyeInnerCorner), relative: 'difference' },
  browRaiseLeft: { measure: (m) => browHeight(m, LEFT_BROW, LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner), relative: 'difference' },
  browFurrow: { measure: (m) => -distance(m, LANDMARK.rightBrowInner, LANDMARK.leftBrowInner), relative: 'difference' },
  noseWrinkle: {
    measure: (m) => -(y(m, LANDMARK.noseBottom) - (y(m, LANDMARK.rightEyeInnerCorner) + y(m, LANDMARK.leftEyeInnerCorner)) / 2),
    relative: 'difference',
  },
};

const NEUTRAL = Float64Array.from(EXPRESSION_COMPONENTS, (name) => MEASURES[name].measure(CANONICAL_FACE));

/** Expression descriptor of a canonical mesh (FaceMotion.canonicalMesh), in EXPRESSION_COMPONENTS order. */
export function expressionDescriptor(canonicalMesh: Float32Array): Float32Array {
  assertMesh(canonicalMesh, 'canonicalMesh');
  const out = new Float32Array(EXPRESSION_COMPONENTS.length);
  EXPRESSION_COMPONENTS.forEach((name, k) => {
    const { measure, relative } = MEASURES[name];
    const value = measure(canonicalMesh);
    out[k] = relative === 'ratio' ? value / NEUTRAL[k] : value - NEUTRAL[k];
  });
  return out;
}
