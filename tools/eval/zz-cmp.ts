import { readFileSync, writeFileSync } from 'node:fs';
import { decodeRepresentation, recipeFromPreset } from '@facex/contracts';
import { renderWarpEdit } from '@facex/warp';
import { encodePng, naivePaste, contactSheet } from '@facex/evaluation';
const person = (i: number) => {
  const meta = JSON.parse(readFileSync(`/tmp/warpdev/p${i}.json`, 'utf8'));
  return { representation: decodeRepresentation(new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.rep`))), image: { data: new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.raw`)), width: meta.w, height: meta.h } };
};
(async () => {
  const inputs = [person(Number(process.argv[2])), person(Number(process.argv[3]))];
  const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
  const w = renderWarpEdit(recipe, inputs);
  const n = naivePaste(recipe, inputs);
  const A = inputs[1].representation.alignment.matrix;
  const sheet = contactSheet([[{ image: inputs[0].image, alignment: inputs[0].representation.alignment.matrix }, { image: w.image, alignment: A }, { image: n, alignment: A }]]);
  writeFileSync('/tmp/warpdev/cmp.png', await encodePng(sheet));
  writeFileSync('/tmp/warpdev/cmpw.png', await encodePng(w.crop));
})();
