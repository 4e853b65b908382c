import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { freePort } from '../scripts/devstack/ports';
import { createStorageClients, type StorageClients } from '../src/clients/storageClients';
import { createTemporalClient } from '../src/clients/temporal';
import { loadConfig, type Config } from '../src/config';

const ROOT = path.join(__dirname, '..');

/**
 * What the API process runs with (as scripts/start.sh and the compose file start it): glibc's mmap threshold held at
 * its 128 KiB default, so an upload's large buffers go back to the system when freed instead of staying in the heap
 * (glibc otherwise raises the threshold after the first large free, and RSS keeps what upload bursts took).
 */
export const API_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * One of the service's entry points (src/api/main.ts, src/workers/main.ts) as its own process, as production runs
 * it; resolves once its log shows `readyLine`. BENCH_PROFILE=<dir> writes its V8 CPU profile there.
 */
export function startServiceProcess(entry: string, env: NodeJS.ProcessEnv, readyLine: string): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const untilReady = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(readyLine)) return;
      child.stdout.off('data', untilReady);
      child.stdout.resume(); // the rest of its log is not needed
      resolve(child);
    };
    child.stdout.on('data', untilReady);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}

/** SIGTERM to each (they finish in-flight work first) and wait until all have exited. */
export async function stopServiceProcesses(...children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
}

/** The service as production runs it, one API and one worker process, with clients of its stack for audits. */
export interface ServiceProcesses {
  env: NodeJS.ProcessEnv;
  config: Config;
  /** http://127.0.0.1:<port> of the API. */
  base: string;
  /** Where the API's and the worker's metrics are: what each image cost in store requests is read there. */
  metricsUrls: string[];
  api: ChildProcess;
  /** Replaced by a chaos run that kills it. */
  worker: ChildProcess;
  /** The stack's storage clients, for audits of what was stored. */
  clients: StorageClients;
  temporal: Client;
  stop: () => Promise<void>;
}

/**
 * Starts both processes against a stack. One user sends a whole benchmark: the per-user rate limit is off, since
 * no real client gets that far, and a few photos are sent many times, each a new image (DUPLICATES=allow), unless
 * `overrides` say otherwise.
 */
export async function startServiceProcesses(
  stackEnv: Record<string, string>,
  overrides: Record<string, string> = {},
): Promise<ServiceProcesses> {
  const env = {
    ...process.env,
    ...stackEnv,
    API_PORT: String(await freePort()),
    WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    DUPLICATES: 'allow',
    ...overrides,
  };
  const config = loadConfig(env);
  const worker = await startServiceProcess('src/workers/main.ts', env, '"msg":"worker running"');
  const api = await startServiceProcess('src/api/main.ts', { ...env, ...API_PROCESS_ENV }, 'listening');
  const service: ServiceProcesses = {
    env,
    config,
    base: `http://127.0.0.1:${env.API_PORT}`,
    metricsUrls: [`http://127.0.0.1:${env.API_PORT}/metrics`, `http://${env.WORKER_METRICS_ADDRESS}/metrics`],
    api,
    worker,
    clients: createStorageClients(config),
    temporal: createTemporalClient(config),
    stop: async () => {
      await stopServiceProcesses(service.api, service.worker);
      await service.temporal.connection.close();
      service.clients.destroy();
    },
  };
  return service;
}
