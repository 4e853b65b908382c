import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsCredentialsOf } from './awsCredentials';
import { ConfigError, describeIssues, presentVariables } from './configError';
import { configSchema } from './schema';

/**
 * Configuration values kept in AWS Secrets Manager. Any configuration variable NAME can be given instead as
 * `NAME_SECRET_ARN=<secret ARN or name>`, with `#field` after it to take one field of a JSON secret. At start-up
 * every secret referenced is read once, all at the same time, and its value becomes NAME in a copy of the
 * environment, which the configuration then validates like any other.
 *
 * What goes wrong is reported as a ConfigError naming the variable and the secret, never what a secret holds.
 */

export const SECRET_REFERENCE_SUFFIX = '_SECRET_ARN';

/** What a secret holds: its string, or none for a secret stored as binary only. */
export interface SecretValue {
  secretString?: string;
}

/** Reads one secret, by ARN or name; rejects with the service's error, whose `name` says what went wrong. */
export type FetchSecret = (secretId: string) => Promise<SecretValue>;

export interface SecretResolutionOptions {
  /** Reads the secrets instead of a Secrets Manager client made from the environment (tests). */
  fetchSecret?: FetchSecret;
}

/** The client reading the secrets is made from these: none of them can come from a secret. */
const READ_BEFORE_SECRETS = {
  AWS_REGION: true,
  AWS_ACCESS_KEY_ID: true,
  AWS_SECRET_ACCESS_KEY: true,
  AWS_SESSION_TOKEN: true,
  SECRETS_MANAGER_ENDPOINT: true,
} as const;

const secretsManagerSettings = configSchema.pick(READ_BEFORE_SECRETS);
type SecretsManagerSettings = ReturnType<typeof secretsManagerSettings.parse>;

/**
 * Start-up must fail, not hang, when Secrets Manager cannot be reached: each attempt is bounded, and one retry
 * smooths over a blip. The worst case is about 2 × (3 s to connect + 5 s for the answer).
 */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 2;

interface SecretReference {
  /** The configuration variable the value is for (NAME). */
  variable: string;
  /** The variable holding the reference (NAME_SECRET_ARN), which every issue about it starts with. */
  referenceVariable: string;
  secretId: string;
  jsonKey?: string;
}

/** The references in an environment, and the issues of those that cannot be followed. */
function findReferences(present: Record<string, string>): { references: SecretReference[]; issues: string[] } {
  const references: SecretReference[] = [];
  const issues: string[] = [];
  for (const [referenceVariable, reference] of Object.entries(present)) {
    if (!referenceVariable.endsWith(SECRET_REFERENCE_SUFFIX)) continue;
    const variable = referenceVariable.slice(0, -SECRET_REFERENCE_SUFFIX.length);
    // Secret names cannot contain '#': the first one starts the field.
    const [secretId = '', jsonKey] = reference.split(/#(.*)/s);
    if (!Object.hasOwn(configSchema.shape, variable)) {
      issues.push(`${referenceVariable}: ${variable || '(nothing)'} is not a configuration variable`);
    } else if (Object.hasOwn(READ_BEFORE_SECRETS, variable)) {
      issues.push(`${referenceVariable}: ${variable} cannot come from a secret: the secrets are read with it`);
    } else if (present[variable] !== undefined) {
      issues.push(`${variable} and ${referenceVariable}: set one or the other`);
    } else if (secretId === '' || jsonKey === '') {
      issues.push(`${referenceVariable}: must be a secret ARN or name, optionally followed by #field`);
    } else {
      references.push({ variable, referenceVariable, secretId, jsonKey });
    }
  }
  return { references, issues };
}

/** Reads secrets with a Secrets Manager client. */
export function fetchSecretWith(client: SecretsManagerClient): FetchSecret {
  return async (secretId) => {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return { secretString: output.SecretString };
  };
}

/**
 * Reads with the client the service reads its secrets with: explicit keys when both are set, else the SDK's default
 * provider chain (the function's or task's role). `close` lets its connections go.
 */
function secretsManagerReader(settings: SecretsManagerSettings): { fetchSecret: FetchSecret; close: () => void } {
  const client = new SecretsManagerClient({
    region: settings.AWS_REGION,
    endpoint: settings.SECRETS_MANAGER_ENDPOINT,
    credentials: awsCredentialsOf(settings),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });
  return { fetchSecret: fetchSecretWith(client), close: () => client.destroy() };
}

type FetchOutcome = { secret: SecretValue } | { error: unknown };

/**
 * What went wrong, from the error's name and HTTP status only: nothing else of an error is passed on, since a
 * message may quote what was read. An answer the SDK could not read (moto's XML 403 to a JSON request) is named by
 * its status, not by the parser's error.
 */
function errorFacts(error: unknown): { name: string; httpStatus?: number; label: string } {
  const name = error instanceof Error ? error.name : 'unknown error';
  const metadata = typeof error === 'object' && error !== null && '$metadata' in error ? error.$metadata : undefined;
  const status =
    typeof metadata === 'object' && metadata !== null && 'httpStatusCode' in metadata
      ? metadata.httpStatusCode
      : undefined;
  const httpStatus = typeof status === 'number' ? status : undefined;
  // The SDK's service exceptions carry $fault; an error raised while reading an answer does not.
  const fromService = typeof error === 'object' && error !== null && '$fault' in error;
  return { name, httpStatus, label: !fromService && httpStatus !== undefined ? `HTTP ${httpStatus}` : name };
}

function describeFetchFailure(error: unknown, secretId: string, region: string): string {
  const { name, httpStatus, label } = errorFacts(error);
  if (name === 'ResourceNotFoundException') return `the secret ${secretId} was not found in ${region} (${name})`;
  // AWS says AccessDeniedException; moto answers 403 AccessDenied, and InvalidClientTokenId to a key it does not know.
  if (httpStatus === 403 || name.startsWith('AccessDenied') || name.endsWith('ClientTokenId')) {
    return `not allowed to read the secret ${secretId}: the role needs secretsmanager:GetSecretValue on it (${label})`;
  }
  return `could not read the secret ${secretId} (${label})`;
}

/** The field of a JSON object secret, as a string; JSON.parse's own messages quote the input, so none is kept. */
function jsonField(secretString: string, jsonKey: string): { value: string } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: `is not a JSON object, so it has no field "${jsonKey}"` };
  }
  if (!Object.hasOwn(parsed, jsonKey)) return { problem: `has no field "${jsonKey}"` };
  const field: unknown = (parsed as Record<string, unknown>)[jsonKey];
  if (typeof field === 'string') return { value: field };
  if (typeof field === 'number' || typeof field === 'boolean') return { value: String(field) };
  return { problem: `has a field "${jsonKey}" that is not a string, number or boolean` };
}

/** The value a reference stands for, or the issue that keeps it from having one. */
function valueOf(
  reference: SecretReference,
  outcome: FetchOutcome,
  region: string,
): { value: string } | { issue: string } {
  const { referenceVariable, secretId, jsonKey } = reference;
  const issue = (problem: string) => ({ issue: `${referenceVariable}: ${problem}` });
  if ('error' in outcome) return issue(describeFetchFailure(outcome.error, secretId, region));
  const { secretString } = outcome.secret;
  if (secretString === undefined) return issue(`the secret ${secretId} holds binary data, not a string`);
  const read = jsonKey === undefined ? { value: secretString } : jsonField(secretString, jsonKey);
  if ('problem' in read) return issue(`the secret ${secretId} ${read.problem}`);
  if (read.value === '') {
    return issue(`the ${jsonKey === undefined ? 'secret' : `field "${jsonKey}" of the secret`} ${secretId} is empty`);
  }
  return read;
}

/**
 * A copy of `env` with every NAME_SECRET_ARN reference read into NAME; `env` itself when it has none.
 * Throws ConfigError with one issue per variable that could not be resolved.
 */
export async function resolveSecretReferences(
  env: NodeJS.ProcessEnv,
  options: SecretResolutionOptions = {},
): Promise<NodeJS.ProcessEnv> {
  const present = presentVariables(env);
  const { references, issues } = findReferences(present);
  if (references.length === 0) {
    if (issues.length > 0) throw new ConfigError(issues);
    return env;
  }

  const settings = secretsManagerSettings.safeParse(present);
  if (!settings.success) throw new ConfigError([...issues, ...describeIssues(settings.error)]);
  const { fetchSecret, close } = options.fetchSecret
    ? { fetchSecret: options.fetchSecret, close: () => {} }
    : secretsManagerReader(settings.data);

  // One request per secret, however many variables take a field of it.
  const fetches = new Map<string, Promise<FetchOutcome>>();
  const fetchOnce = (secretId: string): Promise<FetchOutcome> => {
    const fetched =
      fetches.get(secretId) ??
      fetchSecret(secretId).then(
        (secret) => ({ secret }),
        (error: unknown) => ({ error }),
      );
    fetches.set(secretId, fetched);
    return fetched;
  };
  const resolved: NodeJS.ProcessEnv = { ...env };
  try {
    const outcomes = await Promise.all(
      references.map(async (reference) => ({
        reference,
        outcome: valueOf(reference, await fetchOnce(reference.secretId), settings.data.AWS_REGION),
      })),
    );
    for (const { reference, outcome } of outcomes) {
      if ('issue' in outcome) issues.push(outcome.issue);
      else resolved[reference.variable] = outcome.value;
    }
  } finally {
    close();
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return resolved;
}
