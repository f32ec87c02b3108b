/**
 * `npm run bench:warp`: milliseconds per 512 px edit of the `warp` generator, per preset, on one core (the
 * calling thread, no worker pool), on real faces: sample1.jpg's two largest people and sample3.jpg's largest
 * (FORD runs once beforehand, outside the timing). Each edit includes the Region Assembler, the crops from the
 * full images, the warps, colour matching, blending and the paste-back into the full image. Target: < 150 ms.
 * The regeneration cases (`+ donor`) add the face bank (`npm run setup` builds it): choosing the donor (query
 * and ranking of every bank face) is timed with the render; its crop is decoded once beforehand, as a render
 * worker keeps it. The mouth-donor case times a motion edit opening sample1.jpg's closed lips with a bank face's
 * teeth, choosing that face (every bank face that may lend, their crops decoded once beforehand) with the render.
 */
import { recipeFromPreset, type Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { analyzeSamplePeople } from '@facex/evaluation';
import { FaceBank, defaultBankDir, selectDonor } from '@facex/face-bank';
import type { MaskPlane } from '@facex/imaging';
import { chooseDonor, chooseMouthDonor, donorQuery, renderWarpEdit, type WarpDonor } from '@facex/warp';
import { describeMachine, timeAsync, timeSync } from './stats';

const WARMUP = 3;
const RUNS = 20;

const CASES: Array<[string, Recipe]> = [
  ['face-swap', recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }, {}, 3)],
  ['face-swap (eyes only)', recipeFromPreset({ preset: 'face-swap', source: 0, target: 1, regions: ['eyes'] }, {}, 3)],
  ['head-swap', recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 }, {}, 3)],
  ['reenact', recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }, {}, 3)],
  ['inpaint (nose, lips)', recipeFromPreset({ preset: 'inpaint', image: 1, regions: ['nose', 'lips'], userMask: false }, {}, 3)],
  ['attribute-edit add-new', recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 }, {}, 3)],
  ['mixture (3 inputs)', recipeFromPreset({ preset: 'mixture', frame: 1 }, { identity: 0, skin: 0, hair: 2, expression: 2 })],
  // A motion edit that moves lids and mouth: the eyeballs redrawn under the lids, the irises and the mouth interior.
  [
    'motion (eyes, gaze, mouth)',
    { ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion: { mode: 'relative', eyeOpen: -0.3, gazePitch: 10, mouthOpen: 0.2 } },
  ],
];

/** Regeneration from the face bank: the frame is input 0 (sample1.jpg's second person). */
const REGENERATION_CASES: Array<[string, Recipe]> = [
  ['inpaint (nose, lips) + donor', recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose', 'lips'], userMask: false })],
  ['inpaint (drawn) + donor', recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true })],
  ['mask-out lips + donor', recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['lips'], mode: 'mask-out' })],
];

const measure = (recipe: Recipe, inputs: AssemblyInput[]) => timeSync(() => renderWarpEdit(recipe, inputs), WARMUP, RUNS);

/** A disc of 40 crop pixels' radius on the cheek, drawn on the full image. */
function drawnMask(input: AssemblyInput & { image: NonNullable<AssemblyInput['image']> }): MaskPlane {
  const { width, height } = input.image;
  const [a, b, tx, c, d, ty] = input.representation!.alignment.matrix;
  const det = a * d - b * c,
    scale = Math.sqrt(Math.abs(det));
  const [u, v] = [300, 300];
  const cx = (d * (u - tx) - b * (v - ty)) / det,
    cy = (-c * (u - tx) + a * (v - ty)) / det,
    r = 40 / scale;
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(cy - r); y <= cy + r; y++)
    for (let x = Math.floor(cx - r); x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = 255;
  return { data, width, height };
}

async function measureRegeneration(bank: FaceBank, recipe: Recipe, frame: AssemblyInput & { image: NonNullable<AssemblyInput['image']> }) {
  const options = recipe.task.preset === 'inpaint' && recipe.task.userMask ? { userMask: drawnMask(frame) } : {};
  const donor = (await chooseDonor(bank, recipe, [frame], options)) as WarpDonor;
  return timeSync(
    () => {
      selectDonor(bank.donors, donorQuery(recipe, [frame], options)!);
      return renderWarpEdit(recipe, [frame], { ...options, donor });
    },
    WARMUP,
    RUNS,
  );
}

/** A mouth a motion edit opens on closed lips, lent a bank face's teeth (the frame: sample1.jpg's first person). */
async function measureMouthDonor(bank: FaceBank, frame: AssemblyInput) {
  const recipe: Recipe = { ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion: { mode: 'relative', mouthOpen: 0.2 } };
  const render = async () => renderWarpEdit(recipe, [frame], { mouthDonor: await chooseMouthDonor(bank, recipe, [frame]) });
  if ((await render()).donor === null) throw new Error('no bank face lent its teeth: the case would time the cavity alone');
  return timeAsync(render, WARMUP, RUNS);
}

async function main(): Promise<void> {
  const people = await analyzeSamplePeople(['sample1.jpg', 'sample3.jpg']);
  const inputs: AssemblyInput[] = [people[0], people[1], people[3]].map((p) => ({ representation: p.representation, image: p.image }));
  console.log(describeMachine());
  console.log(
    `warp generator, one 512 px edit pasted into the full image, ms over ${RUNS} runs after ${WARMUP} warm-up, one thread (cpu: median process CPU time)`,
  );
  console.log(`${'preset'.padEnd(30)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'cpu'.padStart(8)}`);
  for (const [name, recipe] of CASES) {
    const { median, p95, cpuMedian } = measure(recipe, inputs.slice(0, recipe.inputs));
    console.log(`${name.padEnd(30)} ${median.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${cpuMedian.toFixed(1).padStart(8)}`);
  }
  const bank = await FaceBank.open(defaultBankDir());
  for (const [name, recipe] of REGENERATION_CASES) {
    const { median, p95, cpuMedian } = await measureRegeneration(bank, recipe, { representation: people[1].representation, image: people[1].image });
    console.log(`${name.padEnd(30)} ${median.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${cpuMedian.toFixed(1).padStart(8)}`);
  }
  const { median, p95, cpuMedian } = await measureMouthDonor(bank, inputs[0]);
  console.log(
    `${'motion (mouth) + mouth donor'.padEnd(30)} ${median.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${cpuMedian.toFixed(1).padStart(8)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
