import type { ImageWorkflows } from '../clients/imageWorkflows';
import { NotFoundError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';

/** Re-clustering a user's library on demand, and following it (the schedule's runs are the worker's). */
export class Reclustering {
  constructor(
    private readonly workflows: ImageWorkflows,
    private readonly metrics: ServiceMetrics,
  ) {}

  /** Starts a re-clustering, or finds the one already running for this user; returns its workflow id. */
  async start(userId: string): Promise<string> {
    const workflowId = await this.workflows.startRecluster(userId);
    this.metrics.workflowStarted('reclusterUser');
    return workflowId;
  }

  async status(userId: string) {
    const status = await this.workflows.reclusterStatus(userId);
    if (!status)
      throw new NotFoundError('No re-clustering has run for you yet: POST /api/v1/images/cluster starts one.');
    return {
      workflow_id: status.workflowId,
      status: status.status,
      step: status.progress?.step,
      result: status.summary ?? status.progress?.summary,
    };
  }
}
