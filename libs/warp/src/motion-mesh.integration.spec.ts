import { FaceAnalyzer } from '@facex/analysis';
import { MOTION_CONTROLS, motionStateOf, recipeFromPreset, type MotionEdit, type MotionState } from '@facex/contracts';
import { analyzeSamplePeople, encodePng, faceAtFrame, type Person } from '@facex/evaluation';
import { rasterizePolygon, type RgbImage } from '@facex/imaging';
import { deformCanonical, planMotion } from './motion-mesh';
import { fitFace, outputCanonicalMesh } from './output-mesh';
import { renderWarpCrop, renderWarpEdit } from './render-warp-edit';
import { unchangedOutsideEdit } from './testing/edit-area';
import { CANONICAL_FACE, expressionDescriptor, MESH_ANNOTATIONS } from './topology';

/** sample1.jpg: #0 turned 29° with closed lips, #2 smiling with her teeth showing. */
let people: Person[];
let analyzer: FaceAnalyzer;
beforeAll(async () => {
  people = await analyzeSamplePeople(['sample1.jpg']);
  analyzer = await FaceAnalyzer.open({ workers: 1 });
});
afterAll(() => analyzer?.close());

const readState = (canonical: Float32Array): MotionState =>
  motionStateOf({
    pose: { yaw: 0, pitch: 0, roll: 0 },
    expression: expressionDescriptor(canonical),
    gaze: { left: { offsetX: 0, offsetY: 0, yaw: 0, pitch: 0 }, right: { offsetX: 0, offsetY: 0, yaw: 0, pitch: 0 } },
  });

describe('deformCanonical', () => {
  it.each<[keyof MotionState, number]>([
    ['mouthOpen', 0.25],
    ['smile', 0.08],
    ['purse', 0.1],
    ['pout', 0.05],
    ['mouthShift', -0.08],
    ['browRaise', 0.06],
    ['eyeOpenLeft', 0.3],
    ['eyeOpenRight', 1.3],
  ])("moves the mesh until FORD's descriptor reads the requested %s", (field, value) => {
    const start = readState(CANONICAL_FACE);
    const wanted = { ...start, [field]: value };
    const read = readState(deformCanonical(CANONICAL_FACE, wanted, new Set([field])));
    expect(read[field]).toBeCloseTo(value, 3);
  });

  it('leaves the mesh as it is when nothing is edited', () => {
    expect(deformCanonical(CANONICAL_FACE, readState(CANONICAL_FACE), new Set())).toBe(CANONICAL_FACE);
  });
});

describe('planMotion', () => {
  it('clamps an extreme request to the documented range', () => {
    const fit = fitFace(people[0].representation);
    const plan = planMotion({ mode: 'relative', yaw: 30, mouthOpen: 0.5 }, fit, outputCanonicalMesh(fit, fit), people[0].representation.motion.gaze);
    expect(plan.pose.pose.yaw).toBe(MOTION_CONTROLS.yaw.absolute[1]);
    expect(readState(plan.canonical).mouthOpen).toBeLessThanOrEqual(MOTION_CONTROLS.mouthOpen.absolute[1] + 1e-3);
    expect(plan.canonical.every(Number.isFinite)).toBe(true);
  });
});

/** FORD's reading of the edited face on the output photo. */
async function measured(person: Person, motion: MotionEdit) {
  const edit = renderWarpEdit({ ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion }, [
    { representation: person.representation, image: person.image },
  ]);
  const face = faceAtFrame(await analyzer.analyzeAll(await encodePng(edit.image)), person.representation);
  if (!face) throw new Error('FORD lost the face');
  return { edit, change: (field: keyof MotionState) => motionStateOf(face.motion)[field] - motionStateOf(person.representation.motion)[field] };
}

describe('motion edits rendered by the warp, measured by FORD on the output', () => {
  it('turns the head by the requested yaw and pitch within 3°, leaving the photo outside the edit untouched', async () => {
    const person = people[2];
    const turned = await measured(person, { mode: 'relative', yaw: 10 });
    expect(Math.abs(turned.change('yaw') - 10)).toBeLessThan(3);
    expect(unchangedOutsideEdit(turned.edit, person.image).changed).toBe(0);
    const tilted = await measured(person, { mode: 'relative', pitch: -8 });
    expect(Math.abs(tilted.change('pitch') + 8)).toBeLessThan(3);
  });

  it('opens the mouth and closes the eyes in the requested direction', async () => {
    const person = people[0];
    expect((await measured(person, { mode: 'relative', mouthOpen: 0.2 })).change('mouthOpen')).toBeGreaterThan(0.05);
    expect((await measured(person, { mode: 'relative', eyeOpen: -0.6 })).change('eyeOpenLeft')).toBeLessThan(-0.1);
  });
});

describe('the mouth interior', () => {
  const mouth = (image: RgbImage, mesh: Float32Array) => {
    const ring = [...MESH_ANNOTATIONS.lipsLowerInner, ...[...MESH_ANNOTATIONS.lipsUpperInner].reverse()].flatMap((i) => [mesh[2 * i], mesh[2 * i + 1]]);
    const coverage = rasterizePolygon([ring], image.width, image.height);
    let count = 0,
      luma = 0,
      redness = 0;
    coverage.forEach((c, i) => {
      if (c < 0.99) return;
      const [r, g, b] = [image.data[3 * i], image.data[3 * i + 1], image.data[3 * i + 2]];
      count++;
      luma += 0.299 * r + 0.587 * g + 0.114 * b;
      redness += r - (g + b) / 2;
    });
    return { count, luma: luma / Math.max(1, count), redness: redness / Math.max(1, count) };
  };
  const outputMesh = (person: Person, motion: MotionEdit) => {
    const fit = fitFace(person.representation);
    const plan = planMotion(motion, fit, outputCanonicalMesh(fit, fit), person.representation.motion.gaze);
    const crop = renderWarpCrop({ ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion }, [
      { representation: person.representation, image: person.image },
    ]).crop;
    // The output mesh on the crop, as the renderer posed it (the same plan, the frame's scale and place).
    const r = plan.pose.rotation,
      t = fit.translation,
      m = person.representation.alignment.matrix;
    const points = new Float32Array(468 * 2);
    for (let i = 0; i < 468; i++) {
      const [x, y, z] = [plan.canonical[3 * i], plan.canonical[3 * i + 1], plan.canonical[3 * i + 2]];
      const ix = fit.scale * (r[0] * x + r[1] * y + r[2] * z) + t[0],
        iy = fit.scale * (r[3] * x + r[4] * y + r[5] * z) + t[1];
      points[2 * i] = m[0] * ix + m[1] * iy + m[2];
      points[2 * i + 1] = m[3] * ix + m[4] * iy + m[5];
    }
    return { crop, points };
  };

  it('is a dark cavity, not stretched lips, where a closed mouth opens', () => {
    const { crop, points } = outputMesh(people[0], { mode: 'relative', mouthOpen: 0.25 });
    const inside = mouth(crop, points);
    expect(inside.count).toBeGreaterThan(300);
    expect(inside.luma).toBeLessThan(60);
    // Her lips are bright red; the cavity keeps little of it.
    expect(inside.redness).toBeLessThan(30);
  });

  it('keeps the teeth the frame shows when the head turns', () => {
    const person = people[2];
    const fit = fitFace(person.representation);
    const before = mouth(
      renderWarpCrop(recipeFromPreset({ preset: 'mixture', frame: 0 }), [{ representation: person.representation, image: person.image }]).crop,
      fit.crop,
    );
    const after = mouth(outputMesh(person, { mode: 'relative', yaw: 8 }).crop, outputMesh(person, { mode: 'relative', yaw: 8 }).points);
    expect(before.luma).toBeGreaterThan(120);
    expect(after.luma).toBeGreaterThan(0.8 * before.luma);
  });
});
