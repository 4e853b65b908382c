import { loadConfig, type Config } from '../../src/config';

/** Set by the global setup when it started the stack itself (and so must stop it). */
export const STACK_DIR_VARIABLE = 'IMAGEPIPE_TEST_STACK_DIR';

/** The service configuration pointing at the test stack, with test-friendly overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}
