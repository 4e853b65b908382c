import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { assertStackTier } from './stackEnv';

/** The IAM users the stack made in its moto (scripts/devstack/secretsManager.ts). */
export type StackSecretsUser = 'ADMIN' | 'SERVICE' | 'DENIED';

/** Keys of one of those users. */
export function keysOf(user: StackSecretsUser) {
  assertStackTier(`The stack's Secrets Manager keys (${user})`);
  const accessKeyId = process.env[`STACK_SECRETS_${user}_ACCESS_KEY_ID`];
  const secretAccessKey = process.env[`STACK_SECRETS_${user}_SECRET_ACCESS_KEY`];
  if (!accessKeyId || !secretAccessKey)
    throw new Error(`no keys for ${user}: these tests need a stack whose Secrets Manager enforces IAM (their own)`);
  return { accessKeyId, secretAccessKey };
}

/** The test stack's environment, reading its secrets with `user`'s keys, and `variables`. */
export function envAs(user: StackSecretsUser, variables: Record<string, string>): NodeJS.ProcessEnv {
  const keys = keysOf(user);
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...variables,
  };
}

/** A client of the stack's Secrets Manager as `user`. */
export function clientAs(user: StackSecretsUser): SecretsManagerClient {
  return new SecretsManagerClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.SECRETS_MANAGER_ENDPOINT,
    credentials: keysOf(user),
  });
}
