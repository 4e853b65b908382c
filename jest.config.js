/**
 * Two tiers (README, "Tests"): `unit` (`*.unit.test.ts`) needs no server of the stack and starts none; `stack`
 * (every other `*.test.ts`) runs against the real local stack its global set-up starts (or reuses).
 * `jest --selectProjects unit` (npm run test:unit) runs the first alone, in seconds.
 * @type {import('jest').Config}
 */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // jose (under firebase-admin) and request-filtering-agent ship only ES modules: Node loads them with require(),
    // jest needs them compiled to CommonJS.
    '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|request-filtering-agent)/)'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.unit.test.ts'],
      // Takes the stack's variables away, so a unit test that reaches for the stack fails the same way alone and
      // beside the stack tier (whose set-up puts them in the environment jest's workers inherit).
      setupFiles: ['<rootDir>/test/harness/unitTier.ts'],
    },
    {
      ...shared,
      displayName: 'stack',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.unit\\.test\\.ts$'],
      globalSetup: '<rootDir>/test/harness/globalSetup.ts',
      globalTeardown: '<rootDir>/test/harness/globalTeardown.ts',
    },
  ],
  testTimeout: 60_000,
  // The stack tier shares one real stack on a 2-core machine: two test files at a time is the sweet spot.
  maxWorkers: 2,
};
