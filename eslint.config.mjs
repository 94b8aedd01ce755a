import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Layering rules from DESIGN.md: oci/ is pure, registry/ and publish/ never touch @actions/*.
const noActions = {
  group: ['@actions/*'],
  message: 'only src/action/ and src/main.ts may import @actions/*',
};

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
    files: ['src/oci/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noActions,
            {
              group: ['undici', '../registry/*', '../publish/*', '../action/*', '../*.js'],
              message: 'oci/ is pure',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/registry/**/*.ts', 'src/publish/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noActions, { group: ['**/action/*'], message: 'action/ is the outermost layer' }] },
      ],
    },
  },
  {
    files: ['src/publish/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noActions,
            { group: ['undici'], message: 'publish/ depends on the registry interface, not on HTTP' },
          ],
        },
      ],
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
  // Tests index into fixtures they just built; a failed assertion is the check there.
  { files: ['__tests__/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  prettier,
);
