// The tests load undici 8 and run the action as node24 does: `npm test` brings Node 24 when needed
// (scripts/node24.mjs); jest started directly on an older Node says so instead of failing in undici.
if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(
    `jest here needs Node 24 (this is ${process.version}): run it through npm test, which brings it.`,
  );
  process.exit(1);
}

// Two projects: `unit` (pure code and wire behaviour through undici's MockAgent) and
// `integration` (real registry processes, the bundled action). ts-jest runs in ESM mode.
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...esm,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      // Runs only when an integration test is selected: one line naming any missing tool, then stop.
      globalSetup: '<rootDir>/scripts/test-tools.mjs',
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 60_000,
};
