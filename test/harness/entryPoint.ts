import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** One of the service's entry points (`src/api/main.ts`...) as its own process, and all it has printed so far. */
export function spawnEntryPoint(
  entry: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs an entry point to its end: its exit code and all it printed. */
export async function runToExit(
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnEntryPoint(entry, env);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, output: output() };
}
