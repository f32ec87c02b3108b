// One jest run over the whole workspace; TypeScript is compiled by swc (types are checked by `npm run typecheck`).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {
  ...Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`])),
  // ESM-style relative imports of TypeScript sources (`./errors.js` → errors.ts) in the publishable libs/client.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

module.exports = {
  // Shares the host's typed-array constructors with tests: native addons (onnxruntime-node, sharp) return
  // host-realm arrays that library code checks with instanceof.
  testEnvironment: '<rootDir>/libs/model-pack/src/testing/onnxruntime-jest-environment.ts',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper,
  testTimeout: 120000,
};
