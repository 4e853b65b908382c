import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * One of the service's entry points (src/api/main.ts, src/workers/main.ts) as its own process, as production runs
 * it; resolves once its log shows `readyLine`. BENCH_PROFILE=<dir> writes its V8 CPU profile there.
 */
export function startServiceProcess(entry: string, env: NodeJS.ProcessEnv, readyLine: string): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const untilReady = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(readyLine)) return;
      child.stdout!.off('data', untilReady);
      child.stdout!.resume(); // the rest of its log is not needed
      resolve(child);
    };
    child.stdout!.on('data', untilReady);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}


/** SIGTERM to each (they finish in-flight work first) and wait until all have exited. */
export async function stopServiceProcesses(...children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
}
