import { MESH_POINTS } from '@facex/contracts';
import { sourceAndTarget } from '@facex/assemblers/testing';
import { fitFace, outputCanonicalMesh, outputMesh, poseGap } from './output-mesh';
import { CANONICAL_FACE, EXPRESSION_DRIVEN } from './topology';

const { source, target } = sourceAndTarget();
const [sourceFit, targetFit] = [fitFace(source.representation), fitFace(target.representation)];

describe('outputCanonicalMesh', () => {
  it('takes rigid points from the identity and expression-driven points from the expression input', () => {
    const mesh = outputCanonicalMesh(sourceFit, targetFit);
    const rigid = EXPRESSION_DRIVEN.indexOf(0),
      driven = EXPRESSION_DRIVEN.indexOf(1);
    expect(Array.from(mesh.subarray(3 * rigid, 3 * rigid + 3))).toEqual(Array.from(sourceFit.canonical.subarray(3 * rigid, 3 * rigid + 3)));
    expect(Array.from(mesh.subarray(3 * driven, 3 * driven + 3))).toEqual(Array.from(targetFit.canonical.subarray(3 * driven, 3 * driven + 3)));
  });

  it('uses the neutral canonical face when the expression is dropped', () => {
    const mesh = outputCanonicalMesh(sourceFit, null);
    const driven = EXPRESSION_DRIVEN.indexOf(1);
    expect(mesh[3 * driven + 1]).toBeCloseTo(CANONICAL_FACE[3 * driven + 1], 6);
  });
});

describe('outputMesh', () => {
  it('puts a face whose every component is its own back on its own landmarks in its crop', () => {
    const mesh = outputMesh({
      identity: targetFit,
      expression: targetFit,
      pose: targetFit,
      frame: targetFit,
      frameAlignment: target.representation.alignment.matrix,
    });
    let worst = 0;
    for (let i = 0; i < MESH_POINTS * 2; i++) worst = Math.max(worst, Math.abs(mesh.points[i] - targetFit.crop[i]));
    expect(worst).toBeLessThan(1e-2);
  });

  it('turns the face by the pose input’s rotation at the frame face’s scale', () => {
    const c = Math.cos(Math.PI / 6),
      sn = Math.sin(Math.PI / 6);
    const turned = { ...targetFit, rotation: [c, 0, sn, 0, 1, 0, -sn, 0, c] as typeof targetFit.rotation, scale: 2 * targetFit.scale };
    const frameAlignment = target.representation.alignment.matrix;
    const still = outputMesh({ identity: targetFit, expression: targetFit, pose: targetFit, frame: targetFit, frameAlignment });
    const mesh = outputMesh({ identity: targetFit, expression: targetFit, pose: turned, frame: targetFit, frameAlignment });
    const scaledOnly = outputMesh({
      identity: targetFit,
      expression: targetFit,
      pose: { ...targetFit, scale: 2 * targetFit.scale },
      frame: targetFit,
      frameAlignment,
    });
    let moved = 0,
      scaled = 0;
    for (let i = 0; i < MESH_POINTS * 2; i++) {
      moved = Math.max(moved, Math.abs(mesh.points[i] - still.points[i]));
      scaled = Math.max(scaled, Math.abs(scaledOnly.points[i] - still.points[i]));
    }
    expect(moved).toBeGreaterThan(3);
    expect(scaled).toBeLessThan(1e-2);
  });

  it('measures the pose gap as the largest angle difference', () => {
    expect(poseGap({ yaw: 10, pitch: -5, roll: 0 }, { yaw: -20, pitch: 5, roll: 3 })).toBe(30);
  });
});
