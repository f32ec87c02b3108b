/**
 * `npm run bench:warp`: milliseconds per 512 px edit of the `warp` generator, per preset, on one core (the
 * calling thread, no worker pool), on real faces: sample1.jpg's two largest people and sample3.jpg's largest
 * (FORD runs once beforehand, outside the timing). Each edit includes the Region Assembler, the crops from the
 * full images, the warps, colour matching, blending and the paste-back into the full image. Target: < 150 ms.
 */
import { recipeFromPreset, type Recipe } from '@facex/contracts';
import type { AssemblyInput } from '@facex/assemblers';
import { analyzeSamplePeople } from '@facex/evaluation';
import { renderWarpEdit } from '@facex/warp';
import { describeMachine, timeSync } from './stats';

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
];

const measure = (recipe: Recipe, inputs: AssemblyInput[]) => timeSync(() => renderWarpEdit(recipe, inputs), WARMUP, RUNS);

async function main(): Promise<void> {
  const people = await analyzeSamplePeople(['sample1.jpg', 'sample3.jpg']);
  const inputs: AssemblyInput[] = [people[0], people[1], people[3]].map((p) => ({ representation: p.representation, image: p.image }));
  console.log(describeMachine());
  console.log(`warp generator, one 512 px edit pasted into the full image, ms over ${RUNS} runs after ${WARMUP} warm-up, one thread (cpu: median process CPU time)`);
  console.log(`${'preset'.padEnd(26)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'cpu'.padStart(8)}`);
  for (const [name, recipe] of CASES) {
    const { median, p95, cpuMedian } = measure(recipe, inputs.slice(0, recipe.inputs));
    console.log(`${name.padEnd(26)} ${median.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${cpuMedian.toFixed(1).padStart(8)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
