import { loadConfig, type Config } from '../../src/config';

/** Set by the global setup when it started the stack itself (and so must stop it). */
export const STACK_DIR_VARIABLE = 'IMAGEPIPE_TEST_STACK_DIR';

/** Set by the global setup: the names of the variables it put in the environment, comma-separated. */
export const STACK_VARIABLES_VARIABLE = 'IMAGEPIPE_TEST_STACK_VARIABLES';

/** `unit` in the unit tier's test files (test/harness/unitTier.ts), which have no stack. */
export const TIER_VARIABLE = 'IMAGEPIPE_TEST_TIER';

/** Fails a unit test that reaches for the stack, naming the way out, instead of letting it time out on no server. */
export function assertStackTier(what: string): void {
  if (process.env[TIER_VARIABLE] !== 'unit') return;
  throw new Error(
    `${what} needs the test stack, which the unit tier does not start: this test file ends in .unit.test.ts; ` +
      'name it *.test.ts to run it in the stack tier (README, "Tests")',
  );
}

/**
 * The service configuration pointing at the test stack, with test-friendly overrides. The rate limits are off
 * unless a test sets them: suites make bursts of requests as one user, from one address, that no real client would.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  assertStackTier('testConfig() (the service configuration of the test stack)');
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  });
}
