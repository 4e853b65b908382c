/**
 * Records the histories the replay tests check determinism against: completed processImage runs (with the AI steps
 * as activities and as local activities) and a failed one, and
 * a completed reclusterUser run over a small library, on the running local stack (`npm run stack -- up`). Run it again when a workflow change is meant to be
 * incompatible (and version the workflow instead, where runs may be in flight).
 *   IMAGEPIPE_TEST_STACK_ENV=.local/stack/stack.env npx tsx scripts/recordHistories.ts
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ImageWorkflows } from '../src/clients/imageWorkflows';
import { FAMILIES, familyMember } from '../test/fixtures/families';
import { gradientJpeg } from '../test/fixtures/images';
import { storeUploadedImage } from '../test/harness/images';
import globalSetup from '../test/harness/globalSetup';
import { testConfig } from '../test/harness/stackEnv';
import { testStorage } from '../test/harness/storage';
import { startWorker } from '../test/harness/worker';

async function main(): Promise<void> {
  await globalSetup();
  const config = testConfig();
  const storage = testStorage(config);
  const worker = await startWorker(config);
  const workflows = new ImageWorkflows(worker.client, worker.taskQueue);
  const outDir = path.join(__dirname, '..', 'test', 'fixtures', 'histories');
  // The standard JSON history format (as `temporal workflow show --output json` writes it), which replay reads.
  const record = async (name: string, workflowId: string) => {
    const history = await worker.client.workflow.getHandle(workflowId).fetchHistory();
    fs.writeFileSync(path.join(outDir, `${name}.json`), historyToJSON(history));
    console.log(`recorded ${name}`);
  };
  const completed = await gradientJpeg(640, 480, { orientation: 6 });
  const cases: Record<string, { body: Buffer; aiInProcess?: boolean }> = {
    'processImage-completed': { body: completed },
    // As the API starts it with the local provider: the AI steps as local activities too.
    'processImage-completed-in-process-ai': { body: completed, aiInProcess: true },
    'processImage-invalid': { body: (await gradientJpeg(400, 300)).subarray(0, 3000) },
  };
  for (const [name, { body, aiInProcess }] of Object.entries(cases)) {
    const input = { ...(await storeUploadedImage(storage, body)), aiInProcess };
    const handle = worker.client.workflow.getHandle(await workflows.start(input));
    await handle.result().catch(() => undefined);
    await record(name, handle.workflowId);
  }

  const userId = `user-${crypto.randomUUID()}`;
  for (const family of FAMILIES.slice(0, 2)) {
    for (let index = 0; index < 3; index++) {
      const input = await storeUploadedImage(storage, await familyMember(family, index), userId);
      await worker.client.workflow.getHandle(await workflows.start(input)).result();
    }
  }
  const recluster = worker.client.workflow.getHandle(await workflows.startRecluster(userId));
  await recluster.result();
  await record('reclusterUser-completed', recluster.workflowId);
  await worker.stop();
  storage.destroy();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
