/**
 * `npm run bench:assemblers`: the time to assemble one 512 px edit (both assemblers: tokens, null tokens,
 * I^R and masks) per preset, on synthetic faces, single-threaded. Two rows per preset: from the full
 * images (the aligned crops are resampled inside the timing) and from the 512 px aligned crops given
 * (as when the extractor has cached them).
 */
import { recipeFromPreset, type Recipe } from '@facex/contracts';
import { assembleEdit, type AssemblyInput } from '@facex/assemblers';
import { warpRgb } from '@facex/imaging';
import { sourceAndTarget, syntheticFace, type SyntheticFace } from '@facex/assemblers/testing';
import { describeMachine, timeSync } from './stats';

const WARMUP = 10;
const RUNS = 60;

const { source, target } = sourceAndTarget();
const third = syntheticFace({ seed: 5, faceWidth: 0.95 });
const faces: SyntheticFace[] = [source, target, third];
const fromImages: AssemblyInput[] = faces.map((face) => ({ representation: face.representation, image: face.image }));
const fromCrops: AssemblyInput[] = faces.map((face) => ({
  representation: face.representation,
  alignedCrop: warpRgb(face.image, face.representation.alignment.matrix, 512, 512),
}));

const cases: Array<[string, Recipe]> = [
  ['face-swap', recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }, {}, 3)],
  ['face-swap (eyes only)', recipeFromPreset({ preset: 'face-swap', source: 0, target: 1, regions: ['eyes'] }, {}, 3)],
  ['head-swap', recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 }, {}, 3)],
  ['reenact', recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }, {}, 3)],
  ['animate', recipeFromPreset({ preset: 'animate', source: 0, driving: 1, style: 'toon' }, {}, 3)],
  ['inpaint (nose, lips)', recipeFromPreset({ preset: 'inpaint', image: 1, regions: ['nose', 'lips'], userMask: false }, {}, 3)],
  ['attribute-edit mask-out', recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'mask-out' }, {}, 3)],
  ['attribute-edit add-new', recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 })],
  ['mixture (3 inputs)', recipeFromPreset({ preset: 'mixture', frame: 1 }, { identity: 1, hair: 0, expression: 2 })],
];

const measure = (recipe: Recipe, inputs: AssemblyInput[]) => timeSync(() => assembleEdit(recipe, inputs), WARMUP, RUNS);

console.log(describeMachine());
console.log(`assemble one 512 px edit (tokens + null tokens + I^R and masks), ms over ${RUNS} runs after ${WARMUP} warm-up (cpu: median process CPU time)`);
console.log(
  `${'preset'.padEnd(26)} ${'from images: median'.padStart(20)} ${'p95'.padStart(7)} ${'cpu'.padStart(7)}   ${'from crops: median'.padStart(19)} ${'p95'.padStart(7)} ${'cpu'.padStart(7)}`,
);
for (const [name, recipe] of cases) {
  const images = measure(recipe, fromImages.slice(0, recipe.inputs));
  const crops = measure(recipe, fromCrops.slice(0, recipe.inputs));
  const cell = (value: number, width: number) => value.toFixed(2).padStart(width);
  console.log(
    `${name.padEnd(26)} ${cell(images.median, 20)} ${cell(images.p95, 7)} ${cell(images.cpuMedian, 7)}   ${cell(crops.median, 19)} ${cell(crops.p95, 7)} ${cell(crops.cpuMedian, 7)}`,
  );
}
