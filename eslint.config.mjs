import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import layers from './eslint-rules/layers.mjs';
import noImportCycle from './eslint-rules/no-import-cycle.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle, layers } } },
    rules: {
      // docs/ARCHITECTURE.md's Layers table, as allow-lists (eslint-rules/layers.mjs).
      'local/layers': 'error',
      'local/no-import-cycle': ['error', { typeImports: true }],
      // The one escaping point: nothing in src/ writes to the console around src/action/log.ts.
      'no-console': 'error',
    },
  },
  {
    // One escaping point: every line reaches the log through src/action/log.ts, so no text can forge a command.
    files: ['src/**/*.ts'],
    ignores: ['src/action/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['info', 'debug', 'notice', 'warning', 'error', 'group', 'startGroup', 'setFailed'].map(
          (property) => ({
            object: 'core',
            property,
            message: 'log through src/action/log.ts, which escapes workflow commands',
          }),
        ),
      ],
    },
  },
  { files: ['__tests__/**/*.ts'], ...jest.configs['flat/recommended'] },
  // Tests and their harness index into fixtures they just built; a failed assertion is the check there.
  {
    files: ['__tests__/**/*.ts', 'testkit/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
