/** Test helper: the conditions a generator receives for a recipe, assembled from analysed inputs (no user mask). */
import { assembleEdit, type AssemblyInput } from '@facex/assemblers';
import type { Recipe } from '@facex/contracts';
import type { GeneratorConditions } from '@facex/generators';

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
