import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApi, type RunningApi } from '../harness/apiServer';
import { runCli } from '../harness/cli';
import { startRecordingServer, type RecordingServer } from '../harness/recordingServer';
import { startTcpForwarder } from '../harness/tcpForwarder';
import { createTestUser, type TestUser } from '../harness/users';

/** This machine's first address off loopback: plain http to it crosses the network as far as the CLI can tell. */
function addressOffLoopback(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((candidate) => candidate?.family === 'IPv4' && !candidate.internal)?.address;
  if (!address) throw new Error('This machine has no IPv4 address off loopback to reach the API at.');
  return address;
}

/**
 * The CLI's tokens go only where they were issued: to the API the saved login was made at, never to another one
 * named by `--api` or IMAGEPIPE_API_URL, never where a redirect points, and over plain http only to this machine
 * unless the user says otherwise. The real API (no worker: nothing here is processed) and the CLI as a child
 * process; "some other host" is a loopback listener that records what reaches it.
 */
describe('where the CLI sends its tokens', () => {
  let api: RunningApi;
  let user: TestUser;
  let stranger: RecordingServer;
  let work: string;

  const imagepipe = (configDir: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
    runCli(args, { cwd: work, env: { IMAGEPIPE_CONFIG_DIR: path.join(work, configDir), ...env }, input });
  const login = (configDir: string, apiUrl: string, ...flags: string[]) =>
    imagepipe(
      configDir,
      ['login', '--api', apiUrl, '--email', user.email, '--password-stdin', ...flags],
      {},
      user.password,
    );
  const loginFile = (configDir: string) => path.join(work, configDir, 'login.json');

  beforeAll(async () => {
    api = await startApi({ TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}` });
    user = await createTestUser(api.config);
    stranger = await startRecordingServer();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'imagepipe-tokens-'));
    expect((await login('signed-in', api.url)).code).toBe(0);
  });
  afterAll(async () => {
    await api.close();
    await stranger.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('refuses --api or IMAGEPIPE_API_URL naming another API, with the usage exit code, before sending anything', async () => {
    const byOption = await imagepipe('signed-in', ['ls', '--api', stranger.url]);
    expect(byOption.code).toBe(2);
    expect(byOption.stderr).toContain(`imagepipe login --api ${stranger.url} --email ${user.email}`);

    // An expired access token would have the refresh token sent first: it stays home too.
    const saved = JSON.parse(await fs.readFile(loginFile('signed-in'), 'utf8'));
    await fs.writeFile(loginFile('signed-in'), JSON.stringify({ ...saved, access_expires_at: 0 }), { mode: 0o600 });
    const byVariable = await imagepipe('signed-in', ['status', 'some-image'], { IMAGEPIPE_API_URL: stranger.url });
    expect(byVariable.code).toBe(2);
    expect(byVariable.stderr).toContain(`You are signed in at ${api.url}, not at ${stranger.url}`);

    // The same port under another name is another origin, so another API.
    const otherName = await imagepipe('signed-in', ['ls', '--api', api.url.replace('127.0.0.1', 'localhost')]);
    expect(otherName.code).toBe(2);
    expect(stranger.requests).toEqual([]);
  });

  it('takes the API of the login without --api, or --api spelling the same one', async () => {
    expect(await imagepipe('signed-in', ['ls'])).toMatchObject({ code: 0, stderr: '' });
    const respelled = `${api.url.replace('http:', 'HTTP:')}/api/v1/`;
    expect(await imagepipe('signed-in', ['ls', '--api', respelled])).toMatchObject({ code: 0, stderr: '' });
    expect(await imagepipe('signed-in', ['ls'], { IMAGEPIPE_API_URL: api.url })).toMatchObject({ code: 0 });
  });

  it('follows no redirect of the API: neither the access token nor the refresh token reaches where it points', async () => {
    // A proxy in front of the API that sends every request elsewhere, as a moved API or a hostile proxy would.
    const redirecting = await startRecordingServer((res) =>
      res.writeHead(307, { location: `${stranger.url}/api/v1/elsewhere` }).end(),
    );
    try {
      await fs.mkdir(path.join(work, 'redirected'), { mode: 0o700 });
      const stored = { api_url: redirecting.url, email: user.email, refresh_token: 'refresh-secret' };
      await fs.writeFile(
        loginFile('redirected'),
        JSON.stringify({ ...stored, access_token: 'access-secret', access_expires_at: Date.now() + 600_000 }),
      );
      const withAccessToken = await imagepipe('redirected', ['ls']);
      expect(withAccessToken.code).toBe(1);
      expect(withAccessToken.stderr).toContain(`redirected to ${stranger.url}/api/v1/elsewhere`);

      await fs.writeFile(loginFile('redirected'), JSON.stringify(stored));
      expect((await imagepipe('redirected', ['ls'])).code).toBe(1);

      expect(redirecting.requests.map(({ authorization, body }) => ({ authorization, body }))).toEqual([
        { authorization: 'Bearer access-secret', body: '' },
        { authorization: undefined, body: 'grant_type=refresh_token&refresh_token=refresh-secret' },
      ]);
      expect(stranger.requests).toEqual([]);
    } finally {
      await redirecting.close();
    }
  });

  it('refuses plain http off this machine unless --allow-http or IMAGEPIPE_ALLOW_HTTP says so', async () => {
    // The real API, reached at an address of this machine off loopback.
    const offMachine = await startTcpForwarder(addressOffLoopback(), api.url);
    try {
      const refused = await login('off-machine', offMachine.url);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--allow-http');
      expect(refused.stderr).toContain('IMAGEPIPE_ALLOW_HTTP=1');
      expect(offMachine.received).toEqual([]);

      expect(await login('off-machine', offMachine.url, '--allow-http')).toMatchObject({ code: 0, stderr: '' });
      const connections = offMachine.received.length;
      expect((await imagepipe('off-machine', ['ls'])).code).toBe(2);
      expect((await imagepipe('off-machine', ['ls'], { IMAGEPIPE_ALLOW_HTTP: 'no' })).code).toBe(2);
      expect(offMachine.received).toHaveLength(connections);

      expect(await imagepipe('off-machine', ['ls', '--allow-http'])).toMatchObject({ code: 0, stderr: '' });
      expect(await imagepipe('off-machine', ['ls'], { IMAGEPIPE_ALLOW_HTTP: '1' })).toMatchObject({ code: 0 });
    } finally {
      await offMachine.close();
    }
  });
});
