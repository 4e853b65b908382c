import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { continueAsNew, isCancellation, proxyActivities, rootCause, startChild } from '@temporalio/workflow';
import {
  reclusterUserWorkflowId,
  type ReclusterActivities,
  type ReclusterAllInput,
  type ReclusterAllResult,
} from '../contracts';
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
// Failed users named in the result (all are counted): enough to act on, small enough for history.
const FAILURES_NAMED = 100;

/**
 * Run by the Temporal Schedule (RECLUSTER_CRON): re-clusters every user with images no re-clustering has seen, a
 * few at a time, each as its own child run. A user whose re-clustering is already running (on demand) is skipped.
 * One user's failed run is reported and the others go on: it stays marked, for the next night.
 */
export async function reclusterAll(input: ReclusterAllInput = {}): Promise<ReclusterAllResult> {
  let after = input.after;
  const result: ReclusterAllResult = input.done ?? { users: 0, failedUsers: 0, failed: [] };
  for (let pages = 0; pages < PAGES_PER_RUN; pages++) {
    const page = await listUsersToRecluster({ after, limit: PAGE });
    for (let start = 0; start < page.userIds.length; start += PARALLEL) {
      const batch = page.userIds.slice(start, start + PARALLEL);
      const outcomes = await Promise.all(batch.map((userId) => reclusterOne(userId)));
      outcomes.forEach((reason, index) => {
        if (reason === undefined) return;
        result.failedUsers += 1;
        if (result.failed.length < FAILURES_NAMED) result.failed.push({ userId: batch[index]!, reason });
      });
    }
    result.users += page.userIds.length;
    if (!page.next) return result;
    after = page.next;
  }
  return continueAsNew<typeof reclusterAll>({ after, done: result });
}

/** Re-clusters one user; the reason when their run failed (a cancellation of this run is not theirs: it goes on up). */
async function reclusterOne(userId: string): Promise<string | undefined> {
  try {
    const child = await startChild(reclusterUser, { workflowId: reclusterUserWorkflowId(userId), args: [{ userId }] });
    await child.result();
    return undefined;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    if (isCancellation(error)) throw error;
    // The deepest cause says what went wrong (the child's own failure wraps its activity's, which wraps the error).
    return rootCause(error) ?? 'failed';
  }
}
