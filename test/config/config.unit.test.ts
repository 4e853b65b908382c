import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { connectionOptions } from '../../src/clients/temporal';
import { LAMBDA_MAX_REQUEST_BYTES, loadConfig } from '../../src/config';
import { configSchema } from '../../src/config/schema';
import { SECRET_REFERENCE_SUFFIX } from '../../src/config/secretReferences';
import { configIssues } from '../harness/configIssues';

const minimal = { FIREBASE_PROJECT_ID: 'imagepipe' };

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.api).toEqual({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: undefined,
      corsOrigins: '*',
      metrics: true,
      trustProxy: ['loopback'],
      statusWaitMaxSeconds: 25,
      imageEventsRescanSeconds: 10,
      imageEventsMaxSeconds: 300,
    });
    expect(config.dynamodb.rateLimitsTable).toBe('imagepipe-rate-limits');
    expect(config.s3).toEqual({ endpoint: undefined, forcePathStyle: false, bucket: 'imagepipe-images' });
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'imagepipe',
      taskQueue: 'imagepipe',
      tls: false,
    });
    expect(config.aws.credentials).toBeUndefined();
    expect(config.aws.secretsManagerEndpoint).toBeUndefined();
  });

  it('names a missing required variable', () => {
    expect(configIssues({})).toEqual(['FIREBASE_PROJECT_ID: is required but not set']);
  });

  it('names every malformed variable at once', () => {
    const issues = configIssues({
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

  it('keeps a provider call within the time its step has', () => {
    expect(loadConfig({ ...minimal, AI_TIMEOUT_MS: '55000' }).ai.timeoutMs).toBe(55_000);
    expect(configIssues({ ...minimal, AI_TIMEOUT_MS: '60000' })).toEqual([
      'AI_TIMEOUT_MS: must leave the 60 s AI steps 5 s to spare',
    ]);
  });

  it('takes the trusted proxies as Express does: a hop count, or addresses, CIDR blocks and range names', () => {
    const trusted = (value: string) => loadConfig({ ...minimal, API_TRUST_PROXY: value }).api.trustProxy;
    expect(trusted('1')).toBe(1);
    expect(trusted('0')).toBe(0);
    expect(trusted('loopback, 10.0.0.0/8,192.168.1.7, fd00::/8,uniquelocal')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'uniquelocal',
    ]);
    // Express compiles the setting at once, and throws on anything it cannot read.
    for (const value of ['1', 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8,uniquelocal', 'linklocal,::1']) {
      expect(() => express().set('trust proxy', trusted(value))).not.toThrow();
    }
    for (const value of ['true', '11', '10.0.0.0/33', 'fd00::/129', '10.0.0.300', 'loopback,', 'proxy.example.com']) {
      expect([value, configIssues({ ...minimal, API_TRUST_PROXY: value })]).toEqual([
        value,
        [
          'API_TRUST_PROXY: must be a hop count (0-10), or a comma list of IP addresses, CIDR blocks, loopback, linklocal and uniquelocal',
        ],
      ]);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...minimal, S3_ENDPOINT: '', API_PORT: '' }).api.port).toBe(8080);
  });

  it('refuses half a pair of AWS keys', () => {
    expect(configIssues({ ...minimal, AWS_ACCESS_KEY_ID: 'key' })).toEqual([
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither',
    ]);
  });

  describe('a Temporal client certificate (mTLS)', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

    it('is a pair of PEM strings, and turns TLS on with it', () => {
      const config = loadConfig({ ...minimal, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key });
      expect(config.temporal.clientCertificate).toEqual({ cert, key });
      expect(connectionOptions(config).tls).toEqual({
        clientCertPair: { crt: Buffer.from(cert), key: Buffer.from(key) },
      });
      expect(connectionOptions(loadConfig(minimal)).tls).toBe(false);
      expect(connectionOptions(loadConfig({ ...minimal, TEMPORAL_API_KEY: 'k' })).tls).toBe(true);
    });

    it('refuses half a pair, and what is not PEM', () => {
      expect(configIssues({ ...minimal, TEMPORAL_TLS_CERT: cert })).toEqual([
        'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both (the client certificate and its key) or neither',
      ]);
      expect(configIssues({ ...minimal, TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: '/etc/client.key' })).toEqual([
        'TEMPORAL_TLS_KEY: must be PEM (-----BEGIN ...)',
      ]);
    });
  });

  describe('the Auth emulator, which accepts unsigned tokens for any user', () => {
    const emulator = { FIREBASE_PROJECT_ID: 'demo-imagepipe', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' };

    it('is accepted for a demo- project, outside production', () => {
      expect(loadConfig(emulator).firebase).toMatchObject({
        projectId: 'demo-imagepipe',
        authEmulatorHost: '127.0.0.1:9099',
      });
    });

    it('is refused for a real project, whatever NODE_ENV says', () => {
      for (const nodeEnv of ['development', 'test', 'production']) {
        expect(configIssues({ ...emulator, FIREBASE_PROJECT_ID: 'imagepipe-prod', NODE_ENV: nodeEnv })).toEqual([
          'FIREBASE_AUTH_EMULATOR_HOST: the Auth emulator accepts unsigned tokens: it is allowed only with a demo- project id, not imagepipe-prod',
        ]);
      }
    });

    it('is refused in production', () => {
      expect(configIssues({ ...emulator, NODE_ENV: 'production' })[0]).toMatch(/^FIREBASE_AUTH_EMULATOR_HOST:/);
    });

    it('is required by a demo- project, which exists nowhere else', () => {
      expect(configIssues({ FIREBASE_PROJECT_ID: 'demo-imagepipe' })).toEqual([
        'FIREBASE_PROJECT_ID: demo-imagepipe is a demo project, which only the Auth emulator knows: set FIREBASE_AUTH_EMULATOR_HOST, or a real project id',
      ]);
    });
  });

  it('documents every variable in .env.example, and nothing else', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)]
      .map((match) => match[1]!)
      .filter((name) => !/^(STACK|IMAGEPIPE)_/.test(name));
    const isReference = (name: string) => name.endsWith(SECRET_REFERENCE_SUFFIX);
    expect(new Set(documented.filter((name) => !isReference(name)))).toEqual(new Set(Object.keys(configSchema.shape)));
    // Its examples of Secrets Manager references stand for real variables.
    const referenced = documented.filter(isReference).map((name) => name.slice(0, -SECRET_REFERENCE_SUFFIX.length));
    expect(referenced.length).toBeGreaterThan(0);
    expect(Object.keys(configSchema.shape)).toEqual(expect.arrayContaining(referenced));
  });
});

const inLambda = { ...minimal, AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api' };

describe('configuration in AWS Lambda', () => {
  it('caps multipart requests at what an invocation carries, and nowhere else by default', () => {
    expect(loadConfig(inLambda).uploads.maxRequestBytes).toBe(LAMBDA_MAX_REQUEST_BYTES);
    expect(loadConfig({ ...inLambda, UPLOAD_MAX_REQUEST_BYTES: '1000000' }).uploads.maxRequestBytes).toBe(1_000_000);
    expect(loadConfig(minimal).uploads.maxRequestBytes).toBeUndefined();
  });

  it('serves no metrics there unless told to', () => {
    expect(loadConfig(inLambda).api.metrics).toBe(false);
    expect(loadConfig({ ...inLambda, API_METRICS: 'true' }).api.metrics).toBe(true);
    expect(loadConfig(minimal).api.metrics).toBe(true);
  });

  it('offers no image event stream there unless told to', () => {
    expect(loadConfig(inLambda).api.imageEventsMaxSeconds).toBe(0);
    expect(loadConfig({ ...inLambda, IMAGE_EVENTS_MAX_SECONDS: '20' }).api.imageEventsMaxSeconds).toBe(20);
    expect(loadConfig(minimal).api.imageEventsMaxSeconds).toBe(300);
  });

  it('refuses a larger cap, and images served through the function', () => {
    expect(configIssues({ ...inLambda, UPLOAD_MAX_REQUEST_BYTES: String(LAMBDA_MAX_REQUEST_BYTES + 1) })).toEqual([
      expect.stringMatching(/^UPLOAD_MAX_REQUEST_BYTES: AWS Lambda carries at most 4194304 bytes/),
    ]);
    expect(configIssues({ ...inLambda, IMAGE_URL_MODE: 'proxy' })).toEqual([
      expect.stringMatching(/^IMAGE_URL_MODE: proxy sends images through the function/),
    ]);
  });
});
