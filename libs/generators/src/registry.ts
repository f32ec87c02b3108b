import { FacexError, type GeneratorName } from '@facex/contracts';
import type { Generator } from './generator';

/** The generators a worker serves, by name. */
export class GeneratorRegistry {
  private readonly byName = new Map<GeneratorName, Generator>();

  constructor(generators: readonly Generator[]) {
    for (const generator of generators) this.byName.set(generator.name, generator);
  }

  names(): GeneratorName[] {
    return [...this.byName.keys()];
  }

  /** The generator; FacexError naming `options.generator` when this worker has none by that name. */
  get(name: GeneratorName): Generator {
    const generator = this.byName.get(name);
    if (!generator) {
      throw new FacexError('invalid_recipe', `options.generator: '${name}' is not installed (available: ${this.names().join(', ')})`, {
        field: 'options.generator',
      });
    }
    return generator;
  }
}
