import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { configSchema } from '../src/config/schema';

const minimal = { FIREBASE_PROJECT_ID: 'demo-imagepipe' };

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.api).toEqual({ host: '127.0.0.1', port: 8080, publicUrl: undefined, corsOrigins: '*' });
    expect(config.s3).toEqual({ endpoint: undefined, forcePathStyle: false, bucket: 'imagepipe-images' });
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'imagepipe',
      taskQueue: 'imagepipe',
      tls: false,
    });
    expect(config.aws.credentials).toBeUndefined();
  });

  it('names a missing required variable', () => {
    expect(issuesOf({})).toEqual(['FIREBASE_PROJECT_ID: is required but not set']);
  });

  it('names every malformed variable at once', () => {
    const issues = issuesOf({
      ...minimal,
      API_PORT: '70000',
      S3_ENDPOINT: 'not a url',
      S3_FORCE_PATH_STYLE: 'maybe',
      TEMPORAL_ADDRESS: 'localhost',
    });
    expect(issues.map((issue) => issue.split(':')[0])).toEqual([
      'API_PORT',
      'S3_ENDPOINT',
      'S3_FORCE_PATH_STYLE',
      'TEMPORAL_ADDRESS',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...minimal, S3_ENDPOINT: '', API_PORT: '' }).api.port).toBe(8080);
  });

  it('refuses half a pair of AWS keys', () => {
    expect(issuesOf({ ...minimal, AWS_ACCESS_KEY_ID: 'key' })).toEqual([
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither',
    ]);
  });

  it('refuses the Auth emulator in production', () => {
    expect(issuesOf({ ...minimal, NODE_ENV: 'production', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })[0]).toMatch(
      /^FIREBASE_AUTH_EMULATOR_HOST:/,
    );
  });

  it('documents every variable in .env.example, and nothing else', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)]
      .map((match) => match[1])
      .filter((name) => !/^(STACK|IMAGEPIPE)_/.test(name!));
    expect(new Set(documented)).toEqual(new Set(Object.keys(configSchema.shape)));
  });
});
