/**
 * `GET /v1/tasks`: what this deployment can do — the task presets and recipe components from the contracts,
 * and the generators installed with their model packs. Honest outputs: a pack with random weights says so.
 */
import { COMPONENT_NAMES, PRESET_NAMES, REGION_NAMES, type GeneratorName } from '@facex/contracts';

export interface GeneratorInfo {
  name: GeneratorName;
  modelPack: { name: string; version: string; randomWeights: boolean } | null;
}

export interface TaskCatalog {
  presets: readonly string[];
  components: readonly string[];
  regions: readonly string[];
  generators: Array<GeneratorInfo & { usable: boolean }>;
}

/** `usable`: whether user edits may ask for the generator (random-weight packs only when the operator allows). */
export function buildTaskCatalog(generators: readonly GeneratorInfo[], allowRandomWeights: boolean): TaskCatalog {
  return {
    presets: PRESET_NAMES,
    components: COMPONENT_NAMES,
    regions: REGION_NAMES,
    generators: generators.map((info) => ({ ...info, usable: allowRandomWeights || !info.modelPack?.randomWeights })),
  };
}

/** The catalog entry of a generator object (a pack reference may say it holds random weights). */
export function generatorInfoOf(generator: {
  name: GeneratorName;
  modelPack: { name: string; version: string; randomWeights?: boolean } | null;
}): GeneratorInfo {
  const pack = generator.modelPack;
  return { name: generator.name, modelPack: pack ? { name: pack.name, version: pack.version, randomWeights: pack.randomWeights ?? false } : null };
}
