import { setTimeout as sleep } from 'node:timers/promises';

// How many times a batch is sent in all, the waits doubling from 200 ms.
const ATTEMPTS = 6;

/**
 * Sends a DynamoDB batch request (BatchGetItem, BatchWriteItem) again with what it left unprocessed (throttling),
 * backing off, until nothing is left; past the attempts it throws `failure(left)`. `send` returns what is left.
 */
export async function untilProcessed<T>(
  batch: T[],
  send: (pending: T[]) => Promise<T[]>,
  failure: (left: number) => string,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > ATTEMPTS) throw new Error(failure(pending.length));
    if (attempt > 1) await sleep(50 * 2 ** attempt);
    pending = await send(pending);
  }
}
