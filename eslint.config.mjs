// Lint: typescript-eslint with type information (floating and misused promises are bugs the compiler does not
// see), plus the package boundaries: production code never imports test helpers, apps or another lib's files.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Tests, their helpers, the tools and the evaluation harness (a development tool over the sample photos,
// never deployed) may use test helpers.
const TEST_FILES = ['**/*.spec.ts', '**/testing/**', '**/test/**', 'tools/**', 'libs/evaluation/**'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'models/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'apps/playground/dist/**', 'training/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // One program for the whole workspace (the root tsconfig): a program per project would hold the shared libs
    // many times over in memory.
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@facex/*/testing', '@facex/*/testing/*'], message: 'test helpers are for tests only' },
            { group: ['**/apps/*', '**/apps/**'], message: 'apps are entry points, not libraries: import the lib instead' },
            {
              group: ['../../*/src', '../../*/src/**', '../../../libs/**'],
              message: 'import another lib through its package name (@facex/...), not its files',
            },
          ],
        },
      ],
    },
  },
  {
    // The playground's components are browser code (DOM types, JSX): their own program.
    files: ['apps/playground/src/**/*.tsx'],
    languageOptions: { parserOptions: { project: ['./apps/playground/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*/src', '../../*/src/**', '../../../libs/**'],
              message: 'import another lib through its package name (@facex/...), not its files',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
