export * from './generator';
export { referenceGenerator, compositeThroughMask } from './reference-generator';
export { GeneratorRegistry } from './registry';
export { assembledConditions } from './assembled-conditions';
