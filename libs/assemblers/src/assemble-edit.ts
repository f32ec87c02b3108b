/** One edit's conditions: tokens, their null set for guidance, and the region-level reference and masks. */
import type { Recipe } from '@facex/contracts';
import { resolveInputs, type AssemblyInput } from './inputs';
import { assembleRegionsFrom, type RegionAssembly, type RegionAssemblerOptions } from './region-assembler';
import { assembleTokensFrom, nullTokens, type AssembledTokens } from './representation-assembler';

export interface AssembledEdit {
  tokens: AssembledTokens;
  nullTokens: AssembledTokens;
  regions: RegionAssembly;
}

/** Both assemblers over one check of the inputs, sharing the inputs' aligned crops. */
export function assembleEdit(recipe: Recipe, inputs: readonly AssemblyInput[], options: RegionAssemblerOptions = {}): AssembledEdit {
  const resolved = resolveInputs(recipe, inputs);
  const tokens = assembleTokensFrom(recipe, resolved);
  return { tokens, nullTokens: nullTokens(tokens.layout), regions: assembleRegionsFrom(recipe, resolved, options) };
}
