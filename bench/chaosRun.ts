import { components, startComponent } from '../scripts/devstack/stack';
import { stopDaemon } from '../scripts/devstack/daemon';
import { resolveSettings, type StackSettings } from '../scripts/devstack/settings';
import { auditUploads, runUploads, type Audit, type LoadResult } from './loadRun';
import { startServiceProcess, type ServiceProcesses } from './serviceProcess';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChaosEvent {
  what: string;
  /** Seconds the component was away. */
  downSeconds: number;
  /** What the API answered a read while the component was away (503 expected; the worker's loss is invisible to it). */
  answeredWhileDown?: number;
  /** Seconds from the component's return until the API served a read again. */
  recoveredAfterSeconds?: number;
}

/** Stops one component of the local stack the hard way (SIGKILL) and starts it again on its own data. */
export async function restartComponent(
  settings: StackSettings,
  name: string,
  downMs: number,
  probe: () => Promise<number>,
): Promise<ChaosEvent> {
  const component = components(settings).find((candidate) => candidate.name === name)!;
  const began = Date.now();
  await stopDaemon(component.spec.pidFile, 0);
  await sleep(downMs / 2);
  const answeredWhileDown = await probe();
  await sleep(downMs / 2);
  await startComponent(component);
  const back = Date.now();
  let recoveredAfterSeconds: number | undefined;
  for (let i = 0; i < 240; i++) {
    if ((await probe()) === 200) {
      recoveredAfterSeconds = (Date.now() - back) / 1000;
      break;
    }
    await sleep(250);
  }
  return { what: `restart ${name}`, downSeconds: (back - began) / 1000, answeredWhileDown, recoveredAfterSeconds };
}

interface ChaosOptions {
  settings: StackSettings;
  /** How many uploads have been accepted so far: each fault waits for the load to reach its mark. */
  accepted: () => number;
  /** Accepted uploads before each fault, in order: worker kill, S3, DynamoDB, Temporal. */
  at: [number, number, number, number];
  downMs: number;
}

/**
 * While a load runs: the worker killed with SIGKILL and a new one started (it replaces `service.worker`); then the
 * S3 gateway, DynamoDB Local and the Temporal dev server each killed and started again on their data on disk.
 */
async function runChaos(service: ServiceProcesses, options: ChaosOptions): Promise<ChaosEvent[]> {
  const untilAccepted = async (count: number) => {
    while (options.accepted() < count) await sleep(100);
  };
  // Readiness checks every dependency: 503 problem+json while one is away.
  const probe = () =>
    fetch(`${service.base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status,
      () => 0,
    );
  const events: ChaosEvent[] = [];

  await untilAccepted(options.at[0]);
  const killedAt = Date.now();
  const killed = service.worker;
  const exited = new Promise((resolve) =>
    killed.exitCode !== null || killed.signalCode !== null ? resolve(null) : killed.once('exit', resolve),
  );
  killed.kill('SIGKILL');
  await exited;
  service.worker = await startServiceProcess('src/workers/main.ts', service.env, '"msg":"worker running"');
  events.push({ what: 'kill -9 the worker, start another', downSeconds: (Date.now() - killedAt) / 1000 });

  const restarts: Array<[number, string]> = [
    [options.at[1], 's3'],
    [options.at[2], 'dynamodb'],
    [options.at[3], 'temporal'],
  ];
  for (const [at, name] of restarts) {
    await untilAccepted(at);
    events.push(await restartComponent(options.settings, name, options.downMs, probe));
  }
  return events;
}

export interface ChaosLoad {
  token: string;
  userId: string;
  uploads: number;
  concurrency: number;
  perSecond: number;
  photos: Buffer[];
  at: [number, number, number, number];
  downMs: number;
  deadline: number;
}

/** A paced load through the service on the stack in `stackDir`, the faults while it runs, then the audit. */
export async function loadUnderChaos(
  service: ServiceProcesses,
  stackDir: string,
  load: ChaosLoad,
): Promise<{ events: ChaosEvent[]; result: LoadResult; audit: Audit }> {
  const settings = await resolveSettings({ dir: stackDir, env: {} });
  let accepted = 0;
  const uploads = runUploads({
    baseUrl: service.base,
    token: load.token,
    uploads: load.uploads,
    concurrency: load.concurrency,
    photos: load.photos,
    deadline: load.deadline,
    perSecond: load.perSecond,
    onAccepted: () => accepted++,
  });
  const events = await runChaos(service, { settings, accepted: () => accepted, at: load.at, downMs: load.downMs });
  const result = await uploads;
  const audit = await auditUploads(service, load.userId, result.accepted, load.deadline);
  return { events, result, audit };
}

export function describeChaos(events: ChaosEvent[]): string {
  return events
    .map((event) =>
      [
        `${event.what}: away ${event.downSeconds.toFixed(1)} s`,
        event.answeredWhileDown !== undefined
          ? `API answered ${event.answeredWhileDown || 'nothing'} meanwhile`
          : undefined,
        event.recoveredAfterSeconds !== undefined
          ? `serving again ${event.recoveredAfterSeconds.toFixed(1)} s after its return, without a restart`
          : undefined,
      ]
        .filter(Boolean)
        .join('; '),
    )
    .join('\n');
}
