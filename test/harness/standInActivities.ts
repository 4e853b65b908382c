import crypto from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { testConfig } from './stackEnv';
import { installQuietRuntime } from './temporalRuntime';

/** Each call an activity stand-in saw: its name and its input, in order. */
export type Calls = Array<[name: string, input: unknown]>;

export type StandIns<Activities> = Partial<Record<keyof Activities, (input: never) => Promise<unknown>>>;

/** The test stack's Temporal server, for workflows run with stand-in activities. */
export function connectToTestServer(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const config = testConfig();
  return TestWorkflowEnvironment.createFromExistingServer({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
  });
}

/**
 * The real workflows with stand-in activities that record what they are given, on a task queue of their own,
 * while `body` starts and follows runs on it.
 */
export async function withStandIns<Activities, T>(
  env: TestWorkflowEnvironment,
  standIns: StandIns<Activities>,
  body: (taskQueue: string) => Promise<T>,
): Promise<{ outcome: T; calls: Calls; names: string[] }> {
  const calls: Calls = [];
  const recording = Object.fromEntries(
    Object.entries(standIns).map(([name, run]) => [
      name,
      async (input: never) => {
        calls.push([name, input]);
        return (run as (input: never) => Promise<unknown>)(input);
      },
    ]),
  );
  const taskQueue = `unit-${crypto.randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: recording,
  });
  const outcome = await worker.runUntil(() => body(taskQueue));
  return { outcome, calls, names: calls.map(([name]) => name) };
}
