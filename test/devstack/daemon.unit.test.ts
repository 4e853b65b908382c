import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, stopDaemon, waitUntilHealthy, isAlive } from '../../scripts/devstack/daemon';
import { freePort } from '../../scripts/devstack/ports';
import { assertPortsFree, resolveSettings } from '../../scripts/devstack/settings';
import net from 'node:net';

describe('local stack process control', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-daemon-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const spec = (name: string, script: string) => ({
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    logFile: path.join(dir, `${name}.log`),
    pidFile: path.join(dir, `${name}.pid`),
  });

  it('names a component that exits during start-up, with the tail of its log', async () => {
    const daemon = startDaemon(spec('crashing', "console.error('bind: address already in use'); process.exit(3)"));
    await expect(waitUntilHealthy(daemon, async () => false, 10_000)).rejects.toThrow(
      /^crashing exited during start-up\. Last lines of .*crashing\.log:\nbind: address already in use$/,
    );
  });

  it('names a component that never becomes healthy, with its last error, and stops it', async () => {
    const daemon = startDaemon(spec('silent', "console.log('starting...'); setInterval(() => {}, 1000)"));
    await expect(
      waitUntilHealthy(
        daemon,
        async () => {
          throw new Error('connection refused');
        },
        1_000,
      ),
    ).rejects.toThrow(
      /^silent did not become healthy within 1000 ms \(last error: connection refused\)\. Last lines of .*:\nstarting\.\.\.$/,
    );
    expect(await stopDaemon(path.join(dir, 'silent.pid'), 2_000)).toBe(true);
    expect(isAlive(daemon.pid)).toBe(false);
  });

  it('refuses to start on a taken port, naming the variable that moves it', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const settings = await resolveSettings({
        dir: path.join(dir, 'stack'),
        pickFreePorts: true,
        env: { STACK_S3_PORT: String(port) },
      });
      await expect(assertPortsFree(settings)).rejects.toThrow(
        `Ports already in use: ${port} (set STACK_S3_PORT to move it)`,
      );
    } finally {
      blocker.close();
    }
  });
});
