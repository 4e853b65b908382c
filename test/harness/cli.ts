import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAIN = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a user runs it: a child process from the TypeScript source (a built dist/ may be older than the tree),
 * with the test's IMAGEPIPE_ settings only (none of the shell's).
 */
export function runCli(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('IMAGEPIPE_')));
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: options.cwd,
    env: { ...inherited, ...options.env },
  });
  const out: CliRun = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  child.stdin.end(options.input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ ...out, code })));
}
