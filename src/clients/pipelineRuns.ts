import type { WorkflowService } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { processImageWorkflowId } from '../contracts';

/** gRPC's NOT_FOUND: no run of that id. */
const NOT_FOUND = 5;

/**
 * When an image's pipeline run closed ('running' while it is open; undefined when it never began), asked of
 * Temporal's workflow service: the client's or a worker's connection, whichever the caller holds.
 */
export function pipelineRunsOf(service: WorkflowService, namespace: string) {
  return {
    async closedAt(imageId: string): Promise<Date | 'running' | undefined> {
      try {
        const { workflowExecutionInfo: info } = await service.describeWorkflowExecution({
          namespace,
          execution: { workflowId: processImageWorkflowId(imageId) },
        });
        return optionalTsToDate(info?.closeTime) ?? 'running';
      } catch (error) {
        if ((error as { code?: number }).code === NOT_FOUND) return undefined;
        throw error;
      }
    },
  };
}
