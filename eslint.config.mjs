import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import noImportCycle from './eslint-rules/no-import-cycle.mjs';

// The layers of docs/ARCHITECTURE.md. A later no-restricted-imports entry for a file replaces an earlier one, so
// each folder has one block that lists everything it may not import.
const noActions = {
  group: ['@actions/*'],
  message: 'only src/action/ and src/main.ts may import @actions/*',
};
const noOuterLayers = {
  regex: '(^|/)(publish|action)/',
  message: 'layout/ and registry/ are content backends: they never import publish/ or action/',
};
const IO_MODULES = ['fs', 'fs/*', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'child_process'];
const noIo = {
  group: ['undici', ...IO_MODULES, ...IO_MODULES.map((name) => `node:${name}`)],
  message: 'oci/ is pure: no I/O',
};
/** Per file glob: the import patterns it may not use. */
const layers = {
  'src/index.ts': [noActions],
  'src/common/**/*.ts': [{ regex: '^\\.\\./', message: 'common/ imports nothing of ours' }, noActions],
  'src/oci/**/*.ts': [
    { regex: '^\\.\\./(?!common/)', message: 'oci/ imports nothing of ours but common/' },
    noIo,
    noActions,
  ],
  'src/layout/**/*.ts': [noOuterLayers, noActions],
  'src/registry/**/*.ts': [noOuterLayers, noActions],
  'src/publish/**/*.ts': [
    { regex: '(^|/)action/', message: 'publish/ never imports action/, the outermost layer' },
    { group: ['undici'], message: 'publish/ depends on the registry interface, not on HTTP' },
    noActions,
  ],
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
  ...Object.entries(layers).map(([files, patterns]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': ['error', { typeImports: true }] },
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
