// One jest run over the whole workspace, in two projects: `unit` (pure logic, no services, models or child
// processes; `npm run test:unit`) and `integration` (`*.integration.spec.ts`: real Redis, S3, ONNX models,
// HTTP servers, child processes or whole-image rendering; `npm run test:integration`). `npm test` runs both.
// TypeScript is compiled by swc (types are checked by `npm run typecheck`).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {
  ...Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`])),
  // ESM-style relative imports of TypeScript sources (`./errors.js` → errors.ts) in the publishable libs/client.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const shared = {
  rootDir: __dirname,
  // Shares the host's typed-array constructors with tests: native addons (onnxruntime-node, sharp) return
  // host-realm arrays that library code checks with instanceof.
  testEnvironment: '<rootDir>/libs/model-pack/src/testing/onnxruntime-jest-environment.ts',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/tools'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', decorators: true, tsx: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper,
};

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.spec\\.tsx?$'],
    },
    { ...shared, displayName: 'integration', testMatch: ['**/*.integration.spec.ts', '**/*.integration.spec.tsx'] },
  ],
};
