import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** One of the project's entry points (`src/api/main.ts`, a script...) as its own process, and all it has printed so far. */
export function spawnEntryPoint(
  entry: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
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
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnEntryPoint(entry, env, args);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, output: output() };
}
