import { heartbeat } from '@temporalio/activity';

/**
 * Heartbeats that start only once the activity has run `quietMs`: each heartbeat that reaches the server is a billed
 * action on Temporal Cloud, and a step that ends within seconds needs none (the SDK would send the first one at
 * once). A longer one still heartbeats well inside its heartbeat timeout, so a worker that dies is noticed as fast;
 * the SDK throttles the rest. Cancellation reaches the step through its heartbeats, so a short step runs to its end.
 */
export function heartbeatsAfter(quietMs: number): (details?: unknown) => void {
  const began = performance.now();
  return (details) => {
    if (performance.now() - began >= quietMs) heartbeat(details);
  };
}
