import { spawn } from 'node:child_process';
import path from 'node:path';
import { httpEventV2, type HttpCall } from './lambdaEvents';

export interface BundleAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** From the event handed over to the answer. */
  ms: number;
}

export interface BundleRun {
  /** Time to load index.js, which begins the API's start-up (Lambda's init phase) without waiting for it. */
  loadMs: number;
  answers: BundleAnswer[];
  /** The process's resident memory after the last answer. */
  rssBytes: number;
  stderr: string;
}

/**
 * Loads an unpacked bundle's index.js in a new Node process, as a new Lambda container does, and hands its handler
 * one event after another for `calls`.
 */
export function invokeBundle(dir: string, calls: HttpCall[], env: NodeJS.ProcessEnv): Promise<BundleRun> {
  const events = calls.map((call) => httpEventV2(call));
  const script = `
    const began = performance.now();
    const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});
    const loadMs = performance.now() - began;
    (async () => {
      const answers = [];
      for (const event of ${JSON.stringify(events)}) {
        const sent = performance.now();
        const answer = await handler(event, {});
        answers.push({ ...answer, ms: performance.now() - sent });
      }
      process.stdout.write(JSON.stringify({ loadMs, answers, rssBytes: process.memoryUsage.rss() }));
      process.exit(0);
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: dir, env: { ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ ...(JSON.parse(stdout) as Omit<BundleRun, 'stderr'>), stderr })
        : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}
