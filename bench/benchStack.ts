import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../scripts/devstack/settings';
import { startStack, stopStack } from '../scripts/devstack/stack';

/** A throwaway local stack on free ports for one benchmark run; removed afterwards. */
export async function withBenchStack<T>(
  run: (env: Record<string, string>, stackDir: string) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-bench-'));
  const settings = await resolveSettings({ dir, pickFreePorts: true, env: {} });
  const env = await startStack(settings);
  try {
    return await run(env, dir);
  } finally {
    await stopStack(settings);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs a benchmark's main function as the whole process: exit 0 when it ends, 1 with the error when it fails. */
export function runBench(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
