/**
 * Secrets Manager on the local stack: moto's server. On the tests' stack (`secretsIam`) IAM is enforced, so reading
 * a secret without the permission fails as it does in AWS; elsewhere moto checks no keys at all. moto lets its first INITIAL_NO_AUTH_ACTION_COUNT actions through unauthenticated and
 * checks every later request against the policies of the IAM user whose keys signed it (by Action only: moto
 * ignores a policy's Resource). Those first actions, made right after moto starts, create three users and keys:
 *   admin    may do anything: tests create their secrets with it
 *   service  may read secrets (secretsmanager:GetSecretValue), as the service's role in AWS
 *   denied   may do nothing
 * moto keeps everything in memory: a moto started again knows none of them, and the setup runs again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { answersHttp, daemonFiles, type Component } from './components';
import type { StackSettings } from './settings';

/** Each user of the stack's Secrets Manager and the actions its inline policy allows (none: no policy). */
const SECRETS_USERS = {
  admin: ['*'],
  service: ['secretsmanager:GetSecretValue'],
  denied: [],
} as const satisfies Record<string, readonly string[]>;

type SecretsUser = keyof typeof SECRETS_USERS;

export type SecretsUserKeys = Record<SecretsUser, { accessKeyId: string; secretAccessKey: string }>;

/** CreateUser and CreateAccessKey for each user, PutUserPolicy for each with a policy: all moto lets through. */
const IAM_SETUP_ACTIONS = Object.values(SECRETS_USERS).reduce(
  (count, actions) => count + 2 + (actions.length > 0 ? 1 : 0),
  0,
);

export const motoServerOf = (settings: StackSettings) => path.join(settings.venvDir, 'bin', 'moto_server');

/** The users' keys, kept beside the stack's data (never in git) while moto runs, for `stack up` on a running stack. */
export const secretsUsersFileOf = (settings: StackSettings) => path.join(settings.dir, 'secrets-manager-users.json');

export function secretsManagerComponent(settings: StackSettings): Component {
  const port = settings.ports.secretsManagerPort;
  return {
    name: 'secrets-manager',
    port,
    startTimeoutMs: 30_000,
    // A new moto knows none of the users the file holds keys of.
    prepare: () => fs.rmSync(secretsUsersFileOf(settings), { force: true }),
    spec: {
      name: 'secrets-manager',
      command: motoServerOf(settings),
      args: ['-H', settings.host, '-p', String(port)],
      cwd: settings.dir,
      // Unset, moto never checks: every request is let through.
      env: settings.secretsIam
        ? { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: String(IAM_SETUP_ACTIONS) }
        : { ...process.env },
      ...daemonFiles(settings, 'secrets-manager'),
    },
    // moto's own API: it is not an AWS action, so it does not use up the unauthenticated ones.
    isHealthy: () => answersHttp(`http://${settings.host}:${port}/moto-api/`, [200]),
  };
}

/** One IAM query-API action, unauthenticated: only while moto still lets actions through without checking them. */
async function iamAction(settings: StackSettings, parameters: Record<string, string>): Promise<string> {
  const response = await fetch(`http://${settings.host}:${settings.ports.secretsManagerPort}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes a request to a service by the credential scope of its SigV4 Authorization header; the
      // signature itself is not checked yet, so a placeholder does.
      authorization: `AWS4-HMAC-SHA256 Credential=imagepipe-stack/20240101/${settings.region}/iam/aws4_request, SignedHeaders=host, Signature=unchecked`,
    },
    body: new URLSearchParams({ ...parameters, Version: '2010-05-08' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok) {
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? 'no error code';
    throw new Error(
      `secrets-manager: IAM ${parameters.Action} answered ${response.status} (${code}). Its users are made only ` +
        'right after moto starts: restart the stack (npm run stack -- down, then up)',
    );
  }
  return body;
}

const xmlElement = (xml: string, name: string): string => {
  const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  if (value === undefined) throw new Error(`secrets-manager: no ${name} in moto's answer`);
  return value;
};

async function createUser(settings: StackSettings, user: SecretsUser) {
  const UserName = `imagepipe-${user}`;
  const actions: readonly string[] = SECRETS_USERS[user];
  await iamAction(settings, { Action: 'CreateUser', UserName });
  if (actions.length > 0) {
    const PolicyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
    });
    await iamAction(settings, { Action: 'PutUserPolicy', UserName, PolicyName: `imagepipe-${user}`, PolicyDocument });
  }
  const created = await iamAction(settings, { Action: 'CreateAccessKey', UserName });
  return { accessKeyId: xmlElement(created, 'AccessKeyId'), secretAccessKey: xmlElement(created, 'SecretAccessKey') };
}

/** The users' keys: those of the running moto from the file, or made now on a moto just started. */
export async function ensureSecretsUsers(
  settings: StackSettings,
): Promise<{ keys: SecretsUserKeys; created: boolean }> {
  const file = secretsUsersFileOf(settings);
  if (fs.existsSync(file))
    return { keys: JSON.parse(fs.readFileSync(file, 'utf8')) as SecretsUserKeys, created: false };
  // One action after another: moto counts the unauthenticated ones without a lock.
  const keys: SecretsUserKeys = {
    admin: await createUser(settings, 'admin'),
    service: await createUser(settings, 'service'),
    denied: await createUser(settings, 'denied'),
  };
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return { keys, created: true };
}

/** Test-only variables: STACK_SECRETS_<USER>_ACCESS_KEY_ID and _SECRET_ACCESS_KEY (the service ignores them). */
export function secretsUsersEnvironment(keys: SecretsUserKeys): Record<string, string> {
  return Object.fromEntries(
    Object.entries(keys).flatMap(([user, key]) => [
      [`STACK_SECRETS_${user.toUpperCase()}_ACCESS_KEY_ID`, key.accessKeyId],
      [`STACK_SECRETS_${user.toUpperCase()}_SECRET_ACCESS_KEY`, key.secretAccessKey],
    ]),
  );
}
