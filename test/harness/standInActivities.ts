import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../src/contracts';
import { installQuietRuntime } from './temporalRuntime';
import { workflowBundle } from './workflowBundle';

/** Each call an activity stand-in saw: its name and its input, in order. */
export type Calls = Array<[name: string, input: unknown]>;

export type StandIns<Activities> = Partial<Record<keyof Activities, (input: never) => Promise<unknown>>>;

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Temporal's time-skipping test server (the Java SDK's, from Maven Central), installed by scripts/install-tools.sh
 * as a wrapper that runs it with `java`; IMAGEPIPE_TEMPORAL_TEST_SERVER names another copy.
 */
export function temporalTestServerPath(): string {
  const file = process.env.IMAGEPIPE_TEMPORAL_TEST_SERVER ?? path.join(ROOT, '.local', 'bin', 'temporal-test-server');
  if (!fs.existsSync(file)) {
    throw new Error(
      `Temporal's time-skipping test server is not installed (${file}): run bash scripts/install-tools.sh`,
    );
  }
  return file;
}

/**
 * An in-memory Temporal server of the test file's own that skips time while the workflow waits (retry back-offs,
 * timers), for workflows run with stand-in activities: no stack needed.
 */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  // The workflows set the service's search attributes, which a server refuses until they are registered.
  const types = temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace,
    searchAttributes: Object.fromEntries(
      SEARCH_ATTRIBUTES.map((key) => [key.name, types[`INDEXED_VALUE_TYPE_${key.type}`]]),
    ),
  });
  return env;
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
    workflowBundle: await workflowBundle(),
    activities: recording,
  });
  const outcome = await worker.runUntil(() => body(taskQueue));
  return { outcome, calls, names: calls.map(([name]) => name) };
}
