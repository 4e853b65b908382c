import { NativeConnection, Worker } from '@temporalio/worker';
import { createTemporalClient } from '../../src/clients/temporal';
import { smokeActivities } from '../fixtures/smokeActivities';
import { greeting } from '../fixtures/smokeWorkflows';
import { testConfig } from '../harness/stackEnv';
import { installQuietRuntime } from '../harness/temporalRuntime';

describe('Temporal dev server', () => {
  const config = testConfig();
  beforeAll(installQuietRuntime);

  it('runs a workflow and its activity to completion on a real worker', async () => {
    const taskQueue = `smoke-${Date.now()}`;
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/smokeWorkflows'),
      activities: smokeActivities,
    });
    const client = createTemporalClient(config);
    try {
      const result = await worker.runUntil(
        client.workflow.execute(greeting, { taskQueue, workflowId: `smoke-${taskQueue}`, args: ['imagepipe'] }),
      );
      expect(result).toBe('hello, imagepipe');
      const description = await client.workflow.getHandle(`smoke-${taskQueue}`).describe();
      expect(description.status.name).toBe('COMPLETED');
    } finally {
      await client.connection.close();
      await connection.close();
    }
  });
});
