import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, proxyActivities, startChild } from '@temporalio/workflow';
import { reclusterUserWorkflowId, type ReclusterActivities, type ReclusterAllInput } from '../contracts';
import { reclusterUser } from './reclusterUser';

const { listUsersToRecluster } = proxyActivities<ReclusterActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

const PAGE = 100;
// Users re-clustered at once: each is CPU-heavy on the workers.
const PARALLEL = 4;
// Pages per run before continuing as new, to keep the history short however many users there are.
const PAGES_PER_RUN = 10;

/**
 * Run by the Temporal Schedule (RECLUSTER_CRON): re-clusters every user with images no re-clustering has seen, a
 * few at a time, each as its own child run. A user whose re-clustering is already running (on demand) is skipped.
 */
export async function reclusterAll(input: ReclusterAllInput = {}): Promise<{ users: number }> {
  let after = input.after;
  let users = 0;
  for (let pages = 0; pages < PAGES_PER_RUN; pages++) {
    const page = await listUsersToRecluster({ after, limit: PAGE });
    for (let start = 0; start < page.userIds.length; start += PARALLEL) {
      await Promise.all(page.userIds.slice(start, start + PARALLEL).map((userId) => reclusterOne(userId)));
    }
    users += page.userIds.length;
    if (!page.next) return { users };
    after = page.next;
  }
  return continueAsNew<typeof reclusterAll>({ after });
}

async function reclusterOne(userId: string): Promise<void> {
  try {
    const child = await startChild(reclusterUser, { workflowId: reclusterUserWorkflowId(userId), args: [{ userId }] });
    await child.result();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
