import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface WorkerProcess {
  pid: number;
  /** Ends the process with `signal` and waits until it has exited. */
  kill: (signal: NodeJS.Signals) => Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The worker entry point (src/workers/main.ts) as its own process, as production runs it, so a test can kill it
 * the hard way. Resolves once the worker polls its task queue.
 */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src', 'workers', 'main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker running"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} during start-up:\n${output.slice(-2000)}`));
    });
  });
  return {
    pid: child.pid!,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
