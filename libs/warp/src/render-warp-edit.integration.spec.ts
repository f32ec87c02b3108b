import { FacexError, recipeFromPreset, type Recipe, type Task } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { applyAffine, invertAffine, warpRgb } from '@facex/imaging';
import { analyzeSamplePeople, type Person } from '@facex/evaluation';
import { renderWarpCrop, renderWarpEdit } from './render-warp-edit';
import { unchangedOutsideEdit } from './testing/edit-area';
import { WarpGenerator } from './warp-generator';
import { fitFace, outputMesh, type FaceFit } from './output-mesh';

/**
 * On real faces: sample1.jpg (3 people, yaw 8…29°) and sample2.jpg, whose largest face is turned 56° (people
 * 3), next to one turned −7° (people 4).
 */
let people: Person[];
beforeAll(async () => {
  people = await analyzeSamplePeople(['sample1.jpg', 'sample2.jpg']);
});

const input = (person: Person): AssemblyInput => ({ representation: person.representation, image: person.image });
const cropOf = (person: Person) => warpRgb(person.image, person.representation.alignment.matrix, 512, 512);

// Rows of equal length: jest reads a test function with one parameter more than its row as taking `done`.
const TASKS: Array<[string, Task, Partial<Recipe['components']>]> = [
  ['face-swap', { preset: 'face-swap', source: 0, target: 1 }, {}],
  ['head-swap', { preset: 'head-swap', source: 0, target: 1 }, {}],
  ['reenact', { preset: 'reenact', source: 0, driving: 1 }, {}],
  ['inpaint', { preset: 'inpaint', image: 1, regions: ['eyes'], userMask: false }, {}],
  ['attribute-edit add-new', { preset: 'attribute-edit', target: 1, regions: ['lips', 'eyebrows'], mode: 'add-new', reference: 0 }, {}],
  ['mixture', { preset: 'mixture', frame: 1 }, { identity: 0, skin: 0, expression: 0 }],
];

describe('renderWarpEdit on real faces', () => {
  it.each(TASKS)('%s: returns the frame image at its size, in 8-bit RGB, changed only inside the edit area', (_, task, picks) => {
    const recipe = recipeFromPreset(task, picks, 2);
    const inputs = [input(people[0]), input(people[1])];
    const edit = renderWarpEdit(recipe, inputs);
    const frame = people[edit.frameInput];
    expect(edit.image.width).toBe(frame.image.width);
    expect(edit.image.height).toBe(frame.image.height);
    expect(edit.image.data).toBeInstanceOf(Uint8Array);
    expect(edit.image.data.length).toBe(frame.image.width * frame.image.height * 3);
    expect([edit.crop.width, edit.crop.height]).toEqual([512, 512]);
    const { outside, changed } = unchangedOutsideEdit(edit, frame.image);
    expect(outside).toBeGreaterThan(frame.image.width * frame.image.height * 0.3);
    expect(changed).toBe(0);
    // The edit did change something inside.
    expect(Buffer.compare(Buffer.from(edit.image.data), Buffer.from(frame.image.data))).not.toBe(0);
  });

  it('renders an extreme pose difference and flags it degraded', () => {
    const turned = people[3],
      frontal = people[4];
    expect(Math.abs(turned.representation.motion.pose.yaw - frontal.representation.motion.pose.yaw)).toBeGreaterThan(45);
    const edit = renderWarpEdit(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [input(turned), input(frontal)]);
    expect(edit.image.width).toBe(frontal.image.width);
    expect(edit.quality.poseGapDegrees).toBeGreaterThan(45);
    expect(edit.quality.flag).toBe('degraded');
    expect(edit.quality.reasons.length).toBeGreaterThan(0);
  });

  it('flags a small pose difference ok', () => {
    const edit = renderWarpEdit(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [input(people[0]), input(people[1])]);
    expect(edit.quality.poseGapDegrees).toBeLessThan(30);
    expect(edit.quality.flag).toBe('ok');
    expect(edit.quality.reasons).toEqual([]);
  });

  it("reenact pastes back only around the moved head, never the aligned crop's corners", () => {
    const recipe = recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 });
    const edit = renderWarpCrop(recipe, [input(people[2]), input(people[0])]);
    const at = (x: number, y: number) => edit.alpha.data[y * edit.alpha.width + x];
    // The crop's border, where the rotated square's edges would show, is the photo's own.
    for (let k = 0; k < 512; k++)
      for (const [x, y] of [
        [k, 0],
        [k, 511],
        [0, k],
        [511, k],
      ])
        expect(at(x, y)).toBe(0);
    // Beyond the head, the background is the photo's own too.
    let kept = 0;
    for (const v of edit.alpha.data) if (v === 0) kept++;
    expect(kept).toBeGreaterThan(0.1 * 512 * 512);
    // The face's centre is pasted.
    expect(at(256, 280)).toBe(255);
  });

  it("face swap keeps the target's open mouth interior (teeth) instead of stretching the source's mouth into it", () => {
    const [source, target] = [people[1], people[2]];
    const [sourceFit, targetFit] = [fitFace(source.representation), fitFace(target.representation)];
    const mouth = (fit: FaceFit) => [(fit.crop[26] + fit.crop[28]) / 2, (fit.crop[27] + fit.crop[29]) / 2];
    const gap = (fit: FaceFit) => Math.hypot(fit.crop[28] - fit.crop[26], fit.crop[29] - fit.crop[27]);
    // The target smiles with its teeth showing; the source's lips are closed.
    expect(gap(targetFit)).toBeGreaterThan(2 * gap(sourceFit));
    const edit = renderWarpCrop(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [input(source), input(target)]);
    const output = outputMesh({
      identity: sourceFit,
      expression: targetFit,
      pose: targetFit,
      frame: targetFit,
      frameAlignment: target.representation.alignment.matrix,
    });
    const [ox, oy] = [(output.points[26] + output.points[28]) / 2, (output.points[27] + output.points[29]) / 2].map(Math.round);
    const [tx, ty] = mouth(targetFit).map(Math.round);
    const targetCrop = cropOf(target);
    for (let c = 0; c < 3; c++) expect(Math.abs(edit.crop.data[3 * (oy * 512 + ox) + c] - targetCrop.data[3 * (ty * 512 + tx) + c])).toBeLessThan(40);
  });

  it('refuses a frame input without its full image, naming the field', () => {
    const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
    const frameCropOnly: AssemblyInput = {
      representation: people[1].representation,
      alignedCrop: renderWarpEdit(recipe, [input(people[0]), input(people[1])]).crop,
    };
    const attempt = () => renderWarpEdit(recipe, [input(people[0]), frameCropOnly]);
    expect(attempt).toThrow(FacexError);
    expect(attempt).toThrow(/inputs\[1\]\.image/);
    // Without paste-back the frame's aligned crop is enough.
    expect(renderWarpCrop(recipe, [input(people[0]), frameCropOnly]).crop.width).toBe(512);
  });
});

describe('renderWarpEdit with a user-drawn inpainting mask', () => {
  it('fills the drawn area and changes nothing outside the edit area; without the mask it refuses', () => {
    const frame = people[1];
    const { width, height } = frame.image;
    // A mask over the face's centre, drawn on the full image.
    const [cx, cy] = applyAffine(invertAffine(frame.representation.alignment.matrix), 256, 300);
    const mask = { data: new Uint8Array(width * height), width, height };
    for (let y = Math.round(cy - 15); y < cy + 15; y++) mask.data.fill(255, y * width + Math.round(cx - 20), y * width + Math.round(cx + 20));
    const recipe = recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true });
    const edit = renderWarpEdit(recipe, [input(frame)], { userMask: mask });
    const p = 3 * (Math.round(cy) * width + Math.round(cx));
    expect(Array.from(edit.image.data.subarray(p, p + 3))).not.toEqual(Array.from(frame.image.data.subarray(p, p + 3)));
    expect(unchangedOutsideEdit(edit, frame.image).changed).toBe(0);
    expect(() => renderWarpCrop(recipe, [input(frame)])).toThrow(/user mask/);
  });
});

describe('WarpGenerator', () => {
  it('renders in a worker thread exactly what renderWarpEdit renders, leaving the inputs usable', async () => {
    const generator = await WarpGenerator.open({ workers: 1 });
    try {
      const recipe = recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 });
      const inputs = [input(people[2]), input(people[0])];
      const [edit, cropOnly, here] = [await generator.render(recipe, inputs), await generator.renderCrop(recipe, inputs), renderWarpEdit(recipe, inputs)];
      expect(edit.quality).toEqual(here.quality);
      expect(Buffer.from(edit.image.data).equals(Buffer.from(here.image.data))).toBe(true);
      // The crop-only render sends no full image back, and its crop is the pasted edit's.
      expect('image' in cropOnly).toBe(false);
      expect(Buffer.from(cropOnly.crop.data).equals(Buffer.from(here.crop.data))).toBe(true);
    } finally {
      await generator.close();
    }
  });
});
