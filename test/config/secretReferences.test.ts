import crypto from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { freePort } from '../../scripts/devstack/ports';
import { ConfigError, loadConfig, loadConfigWithSecrets } from '../../src/config';
import { fetchSecretWith, type FetchSecret } from '../../src/config/secretReferences';
import { runToExit } from '../harness/entryPoint';
import { clientAs, envAs } from '../harness/stackSecrets';

async function issuesOf(loading: Promise<unknown>): Promise<string[]> {
  try {
    await loading;
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

/**
 * NAME_SECRET_ARN references read from the stack's Secrets Manager (moto, IAM enforced), as the service's role
 * reads them: with a user allowed secretsmanager:GetSecretValue only.
 */
describe('configuration from Secrets Manager references', () => {
  // Names of this run's own, so a run against a stack that is already up finds none of an earlier run's.
  const prefix = `imagepipe-test-${crypto.randomUUID().slice(0, 8)}`;
  const temporalApiKey = `temporal-${crypto.randomUUID()}`;
  const openAiApiKey = `sk-${crypto.randomUUID()}`;
  const secretValues = [temporalApiKey, openAiApiKey];
  const names = {
    plain: `${prefix}/temporal-api-key`,
    json: `${prefix}/keys`,
    binary: `${prefix}/binary`,
    missing: `${prefix}/missing`,
  };
  let plainArn: string;
  let jsonArn: string;

  beforeAll(async () => {
    const admin = clientAs('ADMIN');
    try {
      const create = async (input: ConstructorParameters<typeof CreateSecretCommand>[0]) =>
        (await admin.send(new CreateSecretCommand(input))).ARN!;
      [plainArn, jsonArn] = await Promise.all([
        create({ Name: names.plain, SecretString: temporalApiKey }),
        create({
          Name: names.json,
          SecretString: JSON.stringify({ openai_api_key: openAiApiKey, api_port: 8123, nested: { a: 1 } }),
        }),
        create({ Name: names.binary, SecretBinary: new Uint8Array([0, 1, 2, 3]) }),
      ]);
    } finally {
      admin.destroy();
    }
  });

  /** No issue may carry what a secret holds. */
  const expectNoSecretIn = (texts: string[]) => {
    for (const value of secretValues) expect(texts.join('\n')).not.toContain(value);
  };

  it('reads a whole secret, and fields of a JSON secret, into the configuration', async () => {
    const config = await loadConfigWithSecrets(
      envAs('SERVICE', {
        TEMPORAL_API_KEY_SECRET_ARN: plainArn,
        OPENAI_API_KEY_SECRET_ARN: `${names.json}#openai_api_key`,
        API_PORT_SECRET_ARN: `${jsonArn}#api_port`,
      }),
    );
    expect(config.temporal.apiKey).toBe(temporalApiKey);
    expect(config.ai.openai.apiKey).toBe(openAiApiKey);
    // A number in the JSON is validated as the variable's text would be.
    expect(config.api.port).toBe(8123);
    expect(config.aws.secretsManagerEndpoint).toBe(process.env.SECRETS_MANAGER_ENDPOINT);
  });

  it('reads each secret once, however many variables take a field of it', async () => {
    const client = clientAs('SERVICE');
    const read: string[] = [];
    const fetchSecret: FetchSecret = (secretId) => {
      read.push(secretId);
      return fetchSecretWith(client)(secretId);
    };
    try {
      const config = await loadConfigWithSecrets(
        envAs('SERVICE', {
          OPENAI_API_KEY_SECRET_ARN: `${jsonArn}#openai_api_key`,
          API_PORT_SECRET_ARN: `${jsonArn}#api_port`,
          TEMPORAL_API_KEY_SECRET_ARN: plainArn,
        }),
        { fetchSecret },
      );
      expect(config.ai.openai.apiKey).toBe(openAiApiKey);
      expect(read.sort()).toEqual([jsonArn, plainArn].sort());
    } finally {
      client.destroy();
    }
  });

  it('leaves an environment without references as loadConfig reads it', async () => {
    const env = envAs('SERVICE', {});
    expect(await loadConfigWithSecrets(env)).toEqual(loadConfig(env));
  });

  it('names the variable of a secret that does not exist', async () => {
    expect(
      await issuesOf(loadConfigWithSecrets(envAs('SERVICE', { TEMPORAL_API_KEY_SECRET_ARN: names.missing }))),
    ).toEqual([
      `TEMPORAL_API_KEY_SECRET_ARN: the secret ${names.missing} was not found in ${process.env.AWS_REGION} (ResourceNotFoundException)`,
    ]);
  });

  // moto refuses both with an XML 403 (AccessDenied, InvalidClientTokenId), which the SDK cannot read as JSON: the
  // status names them. AWS answers AccessDeniedException, in JSON, which names itself.
  it('says the role may not read a secret when it lacks secretsmanager:GetSecretValue, or its key is unknown', async () => {
    const denied = await issuesOf(loadConfigWithSecrets(envAs('DENIED', { TEMPORAL_API_KEY_SECRET_ARN: plainArn })));
    expect(denied).toEqual([
      `TEMPORAL_API_KEY_SECRET_ARN: not allowed to read the secret ${plainArn}: the role needs secretsmanager:GetSecretValue on it (HTTP 403)`,
    ]);
    const unknownKey = await issuesOf(
      loadConfigWithSecrets({
        ...envAs('SERVICE', { TEMPORAL_API_KEY_SECRET_ARN: plainArn }),
        AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNUNKNOWN00',
        AWS_SECRET_ACCESS_KEY: 'unknown',
      }),
    );
    expect(unknownKey).toEqual([
      `TEMPORAL_API_KEY_SECRET_ARN: not allowed to read the secret ${plainArn}: the role needs secretsmanager:GetSecretValue on it (HTTP 403)`,
    ]);
    expectNoSecretIn([...denied, ...unknownKey]);
  });

  it('names what a secret lacks, never what it holds', async () => {
    const issues = await issuesOf(
      loadConfigWithSecrets(
        envAs('SERVICE', {
          OPENAI_API_KEY_SECRET_ARN: `${names.json}#no_such_field`,
          TEMPORAL_API_KEY_SECRET_ARN: `${names.plain}#api_key`,
          FIREBASE_API_KEY: '',
          FIREBASE_API_KEY_SECRET_ARN: names.binary,
          OPENAI_BASE_URL_SECRET_ARN: `${names.json}#nested`,
        }),
      ),
    );
    expect(issues.sort()).toEqual(
      [
        `OPENAI_API_KEY_SECRET_ARN: the secret ${names.json} has no field "no_such_field"`,
        `TEMPORAL_API_KEY_SECRET_ARN: the secret ${names.plain} is not a JSON object, so it has no field "api_key"`,
        `FIREBASE_API_KEY_SECRET_ARN: the secret ${names.binary} holds binary data, not a string`,
        `OPENAI_BASE_URL_SECRET_ARN: the secret ${names.json} has a field "nested" that is not a string, number or boolean`,
      ].sort(),
    );
    expectNoSecretIn(issues);
  });

  it('refuses a variable set both ways, a reference to no configuration variable, and one to the AWS keys', async () => {
    const issues = await issuesOf(
      loadConfigWithSecrets(
        envAs('SERVICE', {
          TEMPORAL_API_KEY: 'set directly',
          TEMPORAL_API_KEY_SECRET_ARN: plainArn,
          TEMPORL_API_KEY_SECRET_ARN: plainArn,
          AWS_SECRET_ACCESS_KEY_SECRET_ARN: plainArn,
          OPENAI_API_KEY_SECRET_ARN: `${plainArn}#`,
        }),
      ),
    );
    expect(issues.sort()).toEqual(
      [
        'TEMPORAL_API_KEY and TEMPORAL_API_KEY_SECRET_ARN: set one or the other',
        'TEMPORL_API_KEY_SECRET_ARN: TEMPORL_API_KEY is not a configuration variable',
        'AWS_SECRET_ACCESS_KEY_SECRET_ARN: AWS_SECRET_ACCESS_KEY cannot come from a secret: the secrets are read with it',
        'OPENAI_API_KEY_SECRET_ARN: must be a secret ARN or name, optionally followed by #field',
      ].sort(),
    );
  });

  it('fails at once, naming the variable, when Secrets Manager cannot be reached', async () => {
    const nothingListening = `http://127.0.0.1:${await freePort()}`;
    const began = Date.now();
    const issues = await issuesOf(
      loadConfigWithSecrets(
        envAs('SERVICE', { TEMPORAL_API_KEY_SECRET_ARN: plainArn, SECRETS_MANAGER_ENDPOINT: nothingListening }),
      ),
    );
    expect(issues).toEqual([
      expect.stringMatching(/^TEMPORAL_API_KEY_SECRET_ARN: could not read the secret .+ \(\w+\)$/),
    ]);
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('passes on only the name of an error, whose message may quote what was read', async () => {
    const issues = await issuesOf(
      loadConfigWithSecrets(envAs('SERVICE', { TEMPORAL_API_KEY_SECRET_ARN: 'any' }), {
        fetchSecret: async () => JSON.parse(`{"key": "${temporalApiKey}"`) as never,
      }),
    );
    expect(issues).toEqual(['TEMPORAL_API_KEY_SECRET_ARN: could not read the secret any (SyntaxError)']);
  });

  it('calls an empty secret empty instead of leaving its variable unset', async () => {
    const issues = await issuesOf(
      loadConfigWithSecrets(
        envAs('SERVICE', { TEMPORAL_API_KEY_SECRET_ARN: 'empty', OPENAI_API_KEY_SECRET_ARN: 'blank#key' }),
        { fetchSecret: async (secretId) => ({ secretString: secretId === 'empty' ? '' : '{"key": ""}' }) },
      ),
    );
    expect(issues.sort()).toEqual([
      'OPENAI_API_KEY_SECRET_ARN: the field "key" of the secret blank is empty',
      'TEMPORAL_API_KEY_SECRET_ARN: the secret empty is empty',
    ]);
  });

  it('stops the API at start-up with exit code 78, naming the variable and printing no secret', async () => {
    const { code, output } = await runToExit(
      'src/api/main.ts',
      envAs('SERVICE', {
        LOG_LEVEL: 'info',
        TEMPORAL_API_KEY_SECRET_ARN: names.missing,
        OPENAI_API_KEY_SECRET_ARN: `${jsonArn}#openai_api_key`,
      }),
    );
    expect(code).toBe(78);
    expect(output).toContain(
      `TEMPORAL_API_KEY_SECRET_ARN: the secret ${names.missing} was not found in ${process.env.AWS_REGION}`,
    );
    expectNoSecretIn([output]);
  });
});
