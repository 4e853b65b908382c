import type { ChildProcess } from 'node:child_process';
import { components } from '../scripts/devstack/stack';
import { startDaemon, stopDaemon, waitUntilHealthy } from '../scripts/devstack/daemon';
import type { StackSettings } from '../scripts/devstack/settings';
import { startServiceProcess } from './serviceProcess';

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
async function restartComponent(settings: StackSettings, name: string, downMs: number, probe: () => Promise<number>): Promise<ChaosEvent> {
  const component = components(settings).find((candidate) => candidate.name === name)!;
  const began = Date.now();
  await stopDaemon(component.spec.pidFile, 0);
  await sleep(downMs / 2);
  const answeredWhileDown = await probe();
  await sleep(downMs / 2);
  await waitUntilHealthy(startDaemon(component.spec), component.isHealthy, component.startTimeoutMs);
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

export interface ChaosOptions {
  settings: StackSettings;
  workerEnv: NodeJS.ProcessEnv;
  /** The running worker process; replaced by the one started after it is killed. */
  worker: ChildProcess;
  /** A read through the API (a list), answering its status code, or 0 for no answer. */
  probe: () => Promise<number>;
  /** How many uploads have been accepted so far: events wait for the load to be under way. */
  accepted: () => number;
  /** Accepted uploads before each event, in order: worker kill, S3, DynamoDB, Temporal. */
  at: [number, number, number, number];
  downMs: number;
}

/**
 * While a load runs: the worker killed with SIGKILL and a new one started; then the S3 gateway, DynamoDB Local and
 * the Temporal dev server each killed and started again on their data on disk. Resolves with what happened and
 * the worker process running at the end.
 */
export async function runChaos(options: ChaosOptions): Promise<{ events: ChaosEvent[]; worker: ChildProcess }> {
  const untilAccepted = async (count: number) => {
    while (options.accepted() < count) await sleep(100);
  };
  const events: ChaosEvent[] = [];

  await untilAccepted(options.at[0]);
  const killedAt = Date.now();
  options.worker.kill('SIGKILL');
  await new Promise((resolve) => (options.worker.exitCode !== null || options.worker.signalCode !== null ? resolve(null) : options.worker.once('exit', resolve)));
  const worker = await startServiceProcess('src/workers/main.ts', options.workerEnv, '"msg":"worker running"');
  events.push({ what: 'kill -9 the worker, start another', downSeconds: (Date.now() - killedAt) / 1000 });

  const restarts: Array<[number, string]> = [
    [options.at[1], 's3'],
    [options.at[2], 'dynamodb'],
    [options.at[3], 'temporal'],
  ];
  for (const [at, name] of restarts) {
    await untilAccepted(at);
    events.push(await restartComponent(options.settings, name, options.downMs, options.probe));
  }
  return { events, worker };
}

export function describeChaos(events: ChaosEvent[]): string {
  return events
    .map((event) =>
      [
        `${event.what}: away ${event.downSeconds.toFixed(1)} s`,
        event.answeredWhileDown !== undefined ? `API answered ${event.answeredWhileDown || 'nothing'} meanwhile` : undefined,
        event.recoveredAfterSeconds !== undefined ? `serving again ${event.recoveredAfterSeconds.toFixed(1)} s after its return, without a restart` : undefined,
      ]
        .filter(Boolean)
        .join('; '),
    )
    .join('\n');
}
