import { readFileSync } from 'node:fs';
import { decodeRepresentation, recipeFromPreset } from '@facex/contracts';
import { renderWarpEdit } from '@facex/warp';
const person = (i: number) => {
  const meta = JSON.parse(readFileSync(`/tmp/warpdev/p${i}.json`, 'utf8'));
  return { representation: decodeRepresentation(new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.rep`))), image: { data: new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.raw`)), width: meta.w, height: meta.h } };
};
const inputs = [person(0), person(1)];
const recipe = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
for (let k = 0; k < 30; k++) { renderWarpEdit(recipe, inputs); }
