import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadApiConfigWithSecrets, loadConfig, loadConfigWithSecrets } from '../../src/config';
import { throwawayServiceAccountKey } from '../harness/serviceAccountKey';
import { configIssues } from '../harness/configIssues';
import { runToExit } from '../harness/entryPoint';

const PROJECT = 'imagepipe-test';

describe('the service account key (FIREBASE_SERVICE_ACCOUNT, GOOGLE_APPLICATION_CREDENTIALS)', () => {
  const key = throwawayServiceAccountKey(PROJECT);
  const fields = JSON.parse(key.json) as Record<string, unknown>;
  const withFields = (changes: Record<string, unknown>) => JSON.stringify({ ...fields, ...changes });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-key-'));
  const keyFile = path.join(dir, 'key.json');
  fs.writeFileSync(keyFile, key.json);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expected = { projectId: PROJECT, clientEmail: key.clientEmail, privateKey: key.privateKey };

  it('is read from the variable, or from the file Google’s variable names', () => {
    const fromVariable = loadConfig({ FIREBASE_PROJECT_ID: PROJECT, FIREBASE_SERVICE_ACCOUNT: key.json });
    expect(fromVariable.firebase.serviceAccount).toEqual(expected);
    const fromFile = loadConfig({ FIREBASE_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: keyFile });
    expect(fromFile.firebase.serviceAccount).toEqual(expected);
    expect(loadConfig({ FIREBASE_PROJECT_ID: PROJECT }).firebase.serviceAccount).toBeUndefined();
  });

  it('names what is wrong with a bad one, never quoting it', () => {
    const refused = {
      'not JSON (cut short)': key.json.slice(0, -1),
      'not an object': JSON.stringify([key.json]),
      'another kind of credential': withFields({ type: 'authorized_user' }),
      'without its email and key': withFields({ client_email: undefined, private_key: '' }),
      // A key pasted without its line breaks' escapes, as happens between consoles.
      'a mangled private key': withFields({ private_key: key.privateKey.replaceAll('\n', ' ') }),
      'of another project': withFields({ project_id: 'imagepipe-other' }),
    };
    const issues = Object.values(refused).map((json) =>
      configIssues({ FIREBASE_PROJECT_ID: PROJECT, FIREBASE_SERVICE_ACCOUNT: json }),
    );
    expect(issues).toEqual([
      ["FIREBASE_SERVICE_ACCOUNT: is not JSON: it must be a service account key file's content"],
      ['FIREBASE_SERVICE_ACCOUNT: is not a JSON object, as a service account key file is'],
      ['FIREBASE_SERVICE_ACCOUNT: is not a service account key (its type is not service_account)'],
      ['FIREBASE_SERVICE_ACCOUNT: is a service account key without client_email, private_key'],
      ['FIREBASE_SERVICE_ACCOUNT: has a private_key that is not a PEM private key'],
      [`FIREBASE_SERVICE_ACCOUNT: is a key of the project imagepipe-other, not of FIREBASE_PROJECT_ID ${PROJECT}`],
    ]);
    expect(issues.flat().join('\n')).not.toContain(key.privateKeyLine);
  });

  it('names the file of a bad one, and refuses both ways at once', () => {
    const otherProject = path.join(dir, 'other.json');
    fs.writeFileSync(otherProject, withFields({ project_id: 'imagepipe-other' }));
    const missing = path.join(dir, 'missing.json');
    expect(configIssues({ FIREBASE_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: otherProject })).toEqual([
      `GOOGLE_APPLICATION_CREDENTIALS: ${otherProject} is a key of the project imagepipe-other, not of FIREBASE_PROJECT_ID ${PROJECT}`,
    ]);
    expect(configIssues({ FIREBASE_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: missing })).toEqual([
      `GOOGLE_APPLICATION_CREDENTIALS: cannot read ${missing} (ENOENT)`,
    ]);
    expect(
      configIssues({
        FIREBASE_PROJECT_ID: PROJECT,
        FIREBASE_SERVICE_ACCOUNT: key.json,
        GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      }),
    ).toEqual(['FIREBASE_SERVICE_ACCOUNT and GOOGLE_APPLICATION_CREDENTIALS: set one or the other']);
  });
});

describe('revocation checks without a credential', () => {
  const noCredential = { FIREBASE_PROJECT_ID: PROJECT };
  const refusal = expect.stringMatching(
    /^FIREBASE_SERVICE_ACCOUNT_SECRET_ARN or FIREBASE_SERVICE_ACCOUNT: .* or set FIREBASE_CHECK_REVOKED=false$/,
  );

  it('stop the API at start-up, naming the variable to set and the other way out', async () => {
    const refused = await loadApiConfigWithSecrets(noCredential).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues).toEqual([refusal]);
  });

  it('are not needed with the emulator, with a key, or when they are off; the worker never needs them', async () => {
    const key = throwawayServiceAccountKey(PROJECT);
    for (const env of [
      { FIREBASE_PROJECT_ID: 'demo-imagepipe', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
      { ...noCredential, FIREBASE_SERVICE_ACCOUNT: key.json },
      { ...noCredential, FIREBASE_CHECK_REVOKED: 'false' },
    ]) {
      await expect(loadApiConfigWithSecrets(env)).resolves.toBeDefined();
    }
    await expect(loadConfigWithSecrets(noCredential)).resolves.toBeDefined();
  });

  it('stop the API process with exit code 78 and the message', async () => {
    // Set empty, so an .env file cannot bring the emulator in.
    const { code, output } = await runToExit('src/api/main.ts', {
      ...process.env,
      ...noCredential,
      FIREBASE_AUTH_EMULATOR_HOST: '',
    });
    expect(code).toBe(78);
    expect(output).toContain('FIREBASE_SERVICE_ACCOUNT_SECRET_ARN or FIREBASE_SERVICE_ACCOUNT: tokens are checked');
    expect(output).toContain('FIREBASE_CHECK_REVOKED=false');
  });
});
