import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { UserRecord } from 'firebase-admin/auth';
import { freePort } from '../../scripts/devstack/ports';
import { LOOKUP_VERDICT_MS, userLookupCheck } from '../../src/api/firebaseAuthCheck';
import { createFirebaseAuth } from '../../src/clients/firebase';
import { loadApiConfigWithSecrets } from '../../src/config';
import { spawnEntryPoint } from '../harness/entryPoint';
import { throwawayServiceAccountKey } from '../harness/serviceAccountKey';
import { clientAs, envAs } from '../harness/stackSecrets';
import { createTestUser } from '../harness/users';

describe('the Firebase service account key', () => {
  it('goes from a Secrets Manager secret to firebase-admin, and tokens still verify on the emulator', async () => {
    const projectId = process.env.FIREBASE_PROJECT_ID!;
    const key = throwawayServiceAccountKey(projectId);
    const admin = clientAs('ADMIN');
    let secretArn: string;
    try {
      const name = `imagepipe-test-${crypto.randomUUID().slice(0, 8)}/firebase-service-account`;
      secretArn = (await admin.send(new CreateSecretCommand({ Name: name, SecretString: key.json }))).ARN!;
    } finally {
      admin.destroy();
    }

    // Read as the service's role reads it: a user allowed secretsmanager:GetSecretValue only.
    const config = await loadApiConfigWithSecrets(
      envAs('SERVICE', { FIREBASE_SERVICE_ACCOUNT_SECRET_ARN: secretArn, LOG_LEVEL: 'silent' }),
    );
    expect(config.firebase.serviceAccount).toEqual({
      projectId,
      clientEmail: key.clientEmail,
      privateKey: key.privateKey,
    });
    const auth = createFirebaseAuth(config);
    expect(auth.app.options.credential).toMatchObject({ projectId, clientEmail: key.clientEmail });

    const user = await createTestUser(config);
    expect(await auth.verifyIdToken(user.idToken, true)).toMatchObject({ uid: user.uid });
  });
});

describe('the user lookup /readyz makes for revocation checks', () => {
  const notFound = () => Promise.reject(Object.assign(new Error('no user record'), { code: 'auth/user-not-found' }));
  const refused = () => Promise.reject(Object.assign(new Error('invalid_grant'), { code: 'app/invalid-credential' }));

  it('takes "no such user" for a working credential, trusts it a while, and never trusts a failure', async () => {
    let now = 0;
    let answer: () => Promise<UserRecord> = notFound;
    const asked: string[] = [];
    const check = userLookupCheck(
      {
        getUser: (uid) => {
          asked.push(uid);
          return answer();
        },
      },
      () => now,
    );
    await check();
    now += LOOKUP_VERDICT_MS - 1;
    await check();
    expect(asked).toHaveLength(1);
    now += 1;
    answer = refused;
    await expect(check()).rejects.toThrow('invalid_grant');
    await expect(check()).rejects.toThrow('invalid_grant');
    answer = notFound;
    await check();
    expect(asked).toHaveLength(4);
  });
});

/**
 * The API entry point as its own process: firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from its process's
 * environment, which in this one points at the stack's emulator. Resolves once it listens.
 */
async function startApiProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const { child, output } = spawnEntryPoint('src/api/main.ts', env);
  await new Promise<void>((resolve, reject) => {
    const listening = () => {
      if (!output().includes('"msg":"api listening"')) return;
      child.stdout.off('data', listening);
      child.off('exit', exited);
      resolve();
    };
    const exited = (code: number | null) => reject(new Error(`the API exited with ${code}:\n${output().slice(-2000)}`));
    child.stdout.on('data', listening);
    child.once('exit', exited);
  });
  return { child, output };
}

describe('/readyz with a service account key that cannot be used', () => {
  it('reports Firebase Auth down, and why only in the log', async () => {
    const projectId = 'imagepipe-readiness';
    const key = throwawayServiceAccountKey(projectId);
    const port = await freePort();
    const { child, output } = await startApiProcess({
      ...process.env,
      API_PORT: String(port),
      LOG_LEVEL: 'info',
      READINESS_TIMEOUT_MS: '5000',
      FIREBASE_PROJECT_ID: projectId,
      // Empty, so neither the tests' environment nor an .env file brings the emulator in.
      FIREBASE_AUTH_EMULATOR_HOST: '',
      FIREBASE_SERVICE_ACCOUNT: key.json,
      // Google out of reach, as from a network without a way out (a Lambda function in a VPC without NAT): its token
      // endpoint and its keys are asked through a proxy that is not there; the local stack is reached directly.
      HTTPS_PROXY: `http://127.0.0.1:${await freePort()}`,
      NODE_USE_ENV_PROXY: '1',
      NO_PROXY: '127.0.0.1,localhost',
    });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await response.json()) as { detail: string; components: Record<string, { status: string }> };
      expect(response.status).toBe(503);
      expect(body.detail).toBe('Not ready: firebase_auth down.');
      const statuses = Object.entries(body.components).map(([name, component]) => [name, component.status]);
      expect(Object.fromEntries(statuses)).toEqual({ s3: 'up', dynamodb: 'up', temporal: 'up', firebase_auth: 'down' });
      expect(JSON.stringify(body)).not.toMatch(/lookup|token|credential|127\.0\.0\.1/i);

      // The log line may reach this process a moment after the answer (the child writes its log asynchronously).
      const notReady = () =>
        output()
          .split('\n')
          .filter((line) => line.includes('"msg":"not ready"'));
      for (let wait = 0; wait < 50 && notReady().length === 0; wait++)
        await new Promise((done) => setTimeout(done, 100));
      const logged = notReady().map((line) => JSON.parse(line) as { errors: Record<string, string> });
      expect(logged).toHaveLength(1);
      expect(logged[0]!.errors.firebase_auth).toMatch(/user lookup: .*access token.*ECONNREFUSED/);
      expect(output()).not.toContain(key.privateKeyLine);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
