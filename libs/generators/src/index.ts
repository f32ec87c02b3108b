export * from './generator';
export { referenceGenerator, compositeThroughMask } from './reference-generator';
export { GeneratorRegistry } from './registry';
