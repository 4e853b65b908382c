import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectionOptions, createTemporalClient } from '../../src/clients/temporal';
import { loadConfig, type Config } from '../../src/config';
import { freePort } from '../../scripts/devstack/ports';
import { testConfig } from '../harness/stackEnv';

const HAPROXY = path.resolve(__dirname, '..', '..', '.local', 'bin', 'haproxy');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CA of the test's own, and a server certificate for localhost and a client certificate signed by it (openssl). */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=imagepipe-test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
  );
  for (const [name, usage, altName] of [
    ['server', 'serverAuth', 'DNS:localhost,IP:127.0.0.1'],
    ['client', 'clientAuth', 'DNS:imagepipe-worker'],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${altName}\nextendedKeyUsage=${usage}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  fs.writeFileSync(path.join(dir, 'server-bundle.pem'), read('server.pem') + read('server.key'));
}

/**
 * Temporal reached with a client certificate (mTLS), as Temporal Cloud or a self-hosted frontend that asks for one
 * is: HAProxy in front of the stack's Temporal takes TLS and requires a certificate signed by the test's CA, then
 * passes gRPC on. The API's client and the worker's native connection both connect with TEMPORAL_TLS_CERT and _KEY
 * (and TEMPORAL_TLS_CA, the private CA that signed the server's certificate); without a certificate, neither does.
 */
describe('Temporal over mTLS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-mtls-'));
  let proxy: ChildProcess;
  let port: number;
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

  beforeAll(async () => {
    makeCertificates(dir);
    port = await freePort();
    const temporalAddress = testConfig().temporal.address;
    fs.writeFileSync(
      path.join(dir, 'haproxy.cfg'),
      `defaults
  mode http
  timeout connect 2s
  timeout client 1m
  timeout server 1m

frontend temporal_mtls
  bind 127.0.0.1:${port} ssl crt ${dir}/server-bundle.pem ca-file ${dir}/ca.pem verify required alpn h2
  default_backend temporal

backend temporal
  server temporal ${temporalAddress} proto h2
`,
    );
    proxy = spawn(HAPROXY, ['-f', path.join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
    await sleep(500);
  });
  afterAll(() => {
    proxy?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const configWith = (certificate: boolean): Config =>
    loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: `localhost:${port}`,
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CA: read('ca.pem'),
      ...(certificate ? { TEMPORAL_TLS_CERT: read('client.pem'), TEMPORAL_TLS_KEY: read('client.key') } : {}),
    });

  it('lets the API and the worker in with the client certificate', async () => {
    const config = configWith(true);
    const client = createTemporalClient(config);
    try {
      const { namespaceInfo } = await client.workflowService.describeNamespace({
        namespace: config.temporal.namespace,
      });
      expect(namespaceInfo?.name).toBe(config.temporal.namespace);
    } finally {
      await client.connection.close();
    }
    const worker = await NativeConnection.connect(connectionOptions(config));
    try {
      const { namespaceInfo } = await worker.workflowService.describeNamespace({
        namespace: config.temporal.namespace,
      });
      expect(namespaceInfo?.name).toBe(config.temporal.namespace);
    } finally {
      await worker.close();
    }
  }, 30_000);

  it('is refused without one', async () => {
    const config = configWith(false);
    const client = createTemporalClient(config);
    try {
      await expect(
        client.connection.withDeadline(Date.now() + 3_000, () =>
          client.workflowService.describeNamespace({ namespace: config.temporal.namespace }),
        ),
      ).rejects.toThrow();
    } finally {
      await client.connection.close();
    }
    await expect(NativeConnection.connect(connectionOptions(config))).rejects.toThrow();
  }, 30_000);
});
