import crypto from 'node:crypto';
import { createActivities } from '../../src/activities';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { pipelineRunsOf } from '../../src/clients/pipelineRuns';
import { createTemporalClient } from '../../src/clients/temporal';
import type { Config } from '../../src/config';
import { createServices } from '../../src/services/createServices';
import { testConfig } from './stackEnv';
import { testStorage } from './storage';
import { keptEvents } from './webhookEvents';

/**
 * The services over the test stack, starting runs on a task queue no worker polls: pipelines stay open and purges
 * wait, for a test to look at, or to run a purge's activity itself (`activitiesAt`, with a clock of its own).
 */
export function servicesOnIdleQueue(config: Config = testConfig()) {
  const storage = testStorage(config);
  const temporal = createTemporalClient(config);
  const workflows = new ImageWorkflows(temporal, `no-worker-${crypto.randomUUID()}`);
  const activitiesAt = (now: () => Date = () => new Date()) =>
    createActivities({
      ...keptEvents(),
      storage,
      ai: createAiProvider(config),
      config,
      runs: pipelineRunsOf(temporal.workflowService, config.temporal.namespace),
      now,
    });
  return {
    config,
    storage,
    temporal,
    workflows,
    ...createServices({ storage, workflows, config }),
    activitiesAt,
    close: async () => {
      await temporal.connection.close();
      storage.destroy();
    },
  };
}
