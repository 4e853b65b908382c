import type { WorkflowService } from '@temporalio/client';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { processImageWorkflowId, uploadPurgeWorkflowId } from '../contracts';

/** gRPC's NOT_FOUND: no run of that id. */
const NOT_FOUND = 5;

/**
 * When an image's runs closed ('running' while open; undefined when none ever began), asked of Temporal's workflow
 * service: the client's or a worker's connection, whichever the caller holds.
 */
export function pipelineRunsOf(service: WorkflowService, namespace: string) {
  async function closedAt(workflowId: string): Promise<Date | 'running' | undefined> {
    try {
      const { workflowExecutionInfo: info } = await service.describeWorkflowExecution({
        namespace,
        execution: { workflowId },
      });
      return optionalTsToDate(info?.closeTime) ?? 'running';
    } catch (error) {
      if ((error as { code?: number }).code === NOT_FOUND) return undefined;
      throw error;
    }
  }
  return {
    /** The image's pipeline run. */
    closedAt: (imageId: string) => closedAt(processImageWorkflowId(imageId)),
    /** The purge of its direct upload, should the URL expire unused. */
    uploadPurgeClosedAt: (imageId: string) => closedAt(uploadPurgeWorkflowId(imageId)),
  };
}
