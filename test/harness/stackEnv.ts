import { loadConfig, type Config } from '../../src/config';

/** Set by the global setup when it started the stack itself (and so must stop it). */
export const STACK_DIR_VARIABLE = 'IMAGEPIPE_TEST_STACK_DIR';

/**
 * The service configuration pointing at the test stack, with test-friendly overrides. The rate limits are off
 * unless a test sets them: suites make bursts of requests as one user, from one address, that no real client would.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  });
}
