import type { z } from 'zod';

/** A configuration the service cannot run with: one plain-words issue per bad variable, each starting with its name. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Zod's issues as `VARIABLE: message` lines (zod's messages name the rule broken, never the value given). */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(root)';
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required but not set' : issue.message;
    return `${variable}: ${message}`;
  });
}

/** An environment without its empty variables: `FOO=` in an env file means "not set", so defaults apply. */
export function presentVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
