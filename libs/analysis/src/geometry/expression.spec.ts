import { EXPRESSION_COMPONENTS } from '@facex/contracts';
import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { expressionDescriptor } from './expression';
import { fitHead } from './pose';
import { posedFace, shiftPointsBelow } from './test-support';

const component = (descriptor: Float32Array, name: (typeof EXPRESSION_COMPONENTS)[number]): number => descriptor[EXPRESSION_COMPONENTS.indexOf(name)];
const lipGapY = CANONICAL_FACE[3 * LANDMARK.upperLipInner + 1] + 0.005;
const openMouth = shiftPointsBelow(CANONICAL_FACE, lipGapY, 0.2);

describe('expressionDescriptor', () => {
  it('has one value per EXPRESSION_COMPONENTS name, neutral (0, eye openness 1) on the canonical face', () => {
    const neutral = expressionDescriptor(CANONICAL_FACE);
    expect(neutral.length).toBe(EXPRESSION_COMPONENTS.length);
    EXPRESSION_COMPONENTS.forEach((name, k) => expect(neutral[k]).toBeCloseTo(name.startsWith('eyeOpen') ? 1 : 0, 5));
  });

  it('raises mouth opening and jaw drop when the mouth opens, and leaves the brows and eyes alone', () => {
    const open = expressionDescriptor(openMouth);
    expect(component(open, 'mouthOpen')).toBeCloseTo(0.2, 4);
    expect(component(open, 'jawDrop')).toBeCloseTo(0.2, 4);
    for (const name of ['browRaiseRight', 'browRaiseLeft', 'browFurrow', 'eyeOpenRight', 'eyeOpenLeft'] as const) {
      expect(component(open, name)).toBeCloseTo(component(expressionDescriptor(CANONICAL_FACE), name), 6);
    }
  });

  it('reads a raised right brow and a closed left eye on their own components only', () => {
    const face = Float32Array.from(CANONICAL_FACE);
    for (const i of [...MESH_ANNOTATIONS.rightEyebrowUpper, ...MESH_ANNOTATIONS.rightEyebrowLower]) face[3 * i + 1] -= 0.1;
    face[3 * LANDMARK.leftEyeUpperLid + 1] = face[3 * LANDMARK.leftEyeLowerLid + 1];
    const d = expressionDescriptor(face);
    expect(component(d, 'browRaiseRight')).toBeCloseTo(0.1, 4);
    expect(component(d, 'browRaiseLeft')).toBeCloseTo(0, 6);
    expect(component(d, 'eyeOpenLeft')).toBeCloseTo(0, 6);
    expect(component(d, 'eyeOpenRight')).toBeCloseTo(1, 6);
    expect(component(d, 'mouthOpen')).toBeCloseTo(0, 6);
  });

  it('is invariant to head rotation, scale and translation (measured on the canonical mesh)', () => {
    const reference = expressionDescriptor(fitHead(posedFace({ yaw: 0, pitch: 0, roll: 0 }, { base: openMouth })).canonicalMesh);
    for (const [pose, scale, x] of [
      [{ yaw: 35, pitch: -10, roll: 20 }, 60, 100],
      [{ yaw: -20, pitch: 15, roll: -30 }, 250, 900],
    ] as const) {
      const d = expressionDescriptor(fitHead(posedFace(pose, { base: openMouth, scale, x })).canonicalMesh);
      d.forEach((v, k) => expect(Math.abs(v - reference[k])).toBeLessThan(1e-3));
    }
    expect(component(reference, 'mouthOpen')).toBeGreaterThan(0.15);
  });

  it('rejects a canonical mesh of the wrong size', () => {
    expect(() => expressionDescriptor(new Float32Array(12))).toThrow(expect.objectContaining({ details: { field: 'canonicalMesh' } }));
  });
});
