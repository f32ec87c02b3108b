import { readFileSync } from 'node:fs';
import { decodeRepresentation, recipeFromPreset, type Task } from '@facex/contracts';
import { renderWarpEdit } from '@facex/warp';
import { encodePng, contactSheet, naivePaste } from '@facex/evaluation';
import { writeFileSync } from 'node:fs';
const person = (i: number) => {
  const meta = JSON.parse(readFileSync(`/tmp/warpdev/p${i}.json`, 'utf8'));
  return { representation: decodeRepresentation(new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.rep`))), image: { data: new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.raw`)), width: meta.w, height: meta.h } };
};
(async () => {
  const [s, t] = [Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 6)];
  const inputs = [person(s), person(t)];
  const tasks: Task[] = [
    { preset: 'face-swap', source: 0, target: 1 },
    { preset: 'head-swap', source: 0, target: 1 },
    { preset: 'reenact', source: 0, driving: 1 },
    { preset: 'inpaint', image: 1, regions: ['nose', 'lips'], userMask: false },
    { preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 },
  ];
  const rows = [];
  for (const task of tasks) {
    const recipe = recipeFromPreset(task, {}, 2);
    let t0 = performance.now();
    let out = renderWarpEdit(recipe, inputs);
    for (let k = 0; k < 3; k++) { t0 = performance.now(); out = renderWarpEdit(recipe, inputs); }
    console.log(task.preset, (performance.now() - t0).toFixed(1), 'ms', JSON.stringify(out.quality));
    const frame = inputs[out.frameInput]; await big(`/tmp/warpdev/${task.preset}.png`, out.crop);
    rows.push([inputs[0], inputs[1], { image: out.image, representation: frame.representation }].map((c) => ({ image: c.image, alignment: c.representation.alignment.matrix })));
  }
  const np = naivePaste(recipeFromPreset(tasks[0], {}, 2), inputs);
  rows.push([{ image: np, alignment: inputs[1].representation.alignment.matrix }]);
  writeFileSync('/tmp/warpdev/sheet.png', await encodePng(contactSheet(rows)));
})();
export async function big(file: string, img: { data: Uint8Array; width: number; height: number }) { writeFileSync(file, await encodePng(img)); }
