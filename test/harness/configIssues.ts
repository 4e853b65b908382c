import { ConfigError, loadConfig } from '../../src/config';

/** What the configuration's validation says of `env`: its issues, or a failure when it is accepted. */
export function configIssues(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}
