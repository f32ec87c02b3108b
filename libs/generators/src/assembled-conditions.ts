/**
 * The conditions a generator receives for a recipe, assembled in memory from analysed inputs (no user mask):
 * what a video frame renders from, where the photo edit's render stage reads them back from the blob store.
 */
import { assembleEdit, type AssemblyInput } from '@facex/assemblers';
import type { Recipe } from '@facex/contracts';
import type { GeneratorConditions } from './generator';

export function assembledConditions(recipe: Recipe, inputs: AssemblyInput[]): GeneratorConditions {
  const edit = assembleEdit(recipe, inputs);
  return {
    ...edit.regions,
    tokens: edit.tokens,
    nullTokens: edit.nullTokens,
    recipe,
    inputs: async () => inputs,
    userMask: async () => undefined,
  };
}
