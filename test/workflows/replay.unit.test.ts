import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { installQuietRuntime } from '../harness/temporalRuntime';
import { workflowBundle } from '../harness/workflowBundle';

/**
 * Replays recorded histories (scripts/recordHistories.ts) against today's workflow code: a change that would break
 * runs already in flight fails here, in CI, instead of in production.
 */
const historiesDir = path.join(__dirname, '..', 'fixtures', 'histories');
const histories = fs.readdirSync(historiesDir).filter((file) => file.endsWith('.json'));
// runReplayHistory takes the JSON history format (as the temporal CLI writes it) as it is.
const load = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(historiesDir, file), 'utf8'));

describe('workflow replay', () => {
  beforeAll(installQuietRuntime);

  it.each(histories)('replays %s deterministically', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, load(file));
  });

  it('catches a change that reorders the steps', async () => {
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(require.resolve('../fixtures/reorderedProcessImage')) },
        load('processImage-completed.json'),
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
