import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import {
  pidOf,
  resolveCluster,
  startCluster,
  stopCluster,
  type Cluster,
  type ClusterSize,
} from '../scripts/devstack/cluster';
import { startComponent } from '../scripts/devstack/stack';
import { createStorageClients, type StorageClients } from '../src/clients/storageClients';
import { createTemporalClient } from '../src/clients/temporal';
import { loadConfig, type Config } from '../src/config';
import { auditUploads, runUploads, type Audit, type LoadResult } from './loadRun';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service on a cluster: its load balancer's address, and clients of its stores and Temporal for audits. */
export interface ClusterService {
  cluster: Cluster;
  config: Config;
  /** The API through the load balancer. */
  base: string;
  clients: StorageClients;
  temporal: Client;
}

/**
 * A throwaway cluster (scripts/devstack/cluster.ts) of `size` on free ports for one run; removed afterwards.
 * `serviceEnv` goes to every API and worker process (a benchmark's one user turns the per-user rate limit off).
 */
export async function withBenchCluster<T>(
  size: ClusterSize,
  serviceEnv: Record<string, string>,
  run: (service: ClusterService) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-cluster-'));
  const cluster = await resolveCluster({ dir, size, serviceEnv });
  await startCluster(cluster);
  const config = loadConfig(cluster.env);
  const service: ClusterService = {
    cluster,
    config,
    base: cluster.env.API_URL!,
    clients: createStorageClients(config),
    temporal: createTemporalClient(config),
  };
  try {
    return await run(service);
  } finally {
    await service.temporal.connection.close();
    service.clients.destroy();
    await stopCluster(cluster);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface FaultEvent {
  /** The process killed with SIGKILL and started again. */
  name: string;
  /** Seconds from the kill until the process started again was healthy. */
  recoveredAfterSeconds: number;
  /** What the load balancer's /readyz answered while the process was away (200: the others served). */
  answeredWhileDown: number;
}

/** kill -9 of one process of the cluster (its whole process group), `downMs` away, then started again. */
export async function killAndRestart(service: ClusterService, name: string, downMs: number): Promise<FaultEvent> {
  const component = service.cluster.components.find((candidate) => candidate.name === name);
  if (!component) throw new Error(`no process ${name} in the cluster`);
  const pid = pidOf(component);
  if (pid === undefined) throw new Error(`${name} is not running`);
  const killedAt = Date.now();
  process.kill(-pid, 'SIGKILL');
  await sleep(downMs / 2);
  const answeredWhileDown = await fetch(`${service.base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.status,
    () => 0,
  );
  await sleep(downMs / 2);
  await startComponent(component);
  return { name, recoveredAfterSeconds: (Date.now() - killedAt) / 1000, answeredWhileDown };
}

export interface ClusterLoad {
  token: string;
  userId: string;
  uploads: number;
  concurrency: number;
  perSecond?: number;
  photos: Buffer[];
  /** Each fault: the accepted uploads to wait for, then the process to kill. */
  faults: Array<[number, string]>;
  downMs: number;
  deadline: number;
  /** See auditUploads. */
  onSettled?: () => void;
}

/**
 * Uploads through the load balancer while, in turn, each named process is killed and started again; then the audit
 * (lost, duplicated, stuck). Every upload's bytes are its own, so a retry after a lost answer is recognised.
 */
export async function loadUnderClusterFaults(
  service: ClusterService,
  load: ClusterLoad,
): Promise<{ events: FaultEvent[]; result: LoadResult; audit: Audit }> {
  let accepted = 0;
  const uploads = runUploads({
    baseUrl: service.base,
    token: load.token,
    uploads: load.uploads,
    concurrency: load.concurrency,
    perSecond: load.perSecond,
    photos: load.photos,
    deadline: load.deadline,
    uniqueBodies: true,
    onAccepted: () => accepted++,
  });
  const events: FaultEvent[] = [];
  for (const [at, name] of load.faults) {
    while (accepted < at && Date.now() < load.deadline) await sleep(100);
    events.push(await killAndRestart(service, name, load.downMs));
  }
  const result = await uploads;
  const audit = await auditUploads(service, load.userId, result.accepted, load.deadline, load.onSettled);
  return { events, result, audit };
}

export function describeFaults(events: FaultEvent[]): string {
  return events
    .map(
      (event) =>
        `kill -9 ${event.name}: healthy again ${event.recoveredAfterSeconds.toFixed(1)} s later; ` +
        `/readyz through the load balancer answered ${event.answeredWhileDown || 'nothing'} meanwhile`,
    )
    .join('\n');
}
