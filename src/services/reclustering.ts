import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import { NotFoundError, TooSoonError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';

/** Re-clustering a user's library on demand, and following it (the schedule's runs are the worker's). */
export class Reclustering {
  constructor(
    private readonly workflows: ImageWorkflows,
    private readonly config: Pick<Config, 'clustering'>,
    private readonly metrics: ServiceMetrics,
    private readonly now: () => Date,
  ) {}

  /**
   * Starts a re-clustering, or finds the one already running for this user; returns its workflow id. One that
   * ended less than RECLUSTER_COOLDOWN_SECONDS ago is not started again (TooSoonError): it is heavy work.
   */
  async start(userId: string): Promise<string> {
    const cooldownMs = this.config.clustering.cooldownSeconds * 1000;
    if (cooldownMs > 0) {
      const last = await this.workflows.reclusterStatus(userId);
      const sinceMs = last?.closedAt ? this.now().getTime() - last.closedAt.getTime() : Infinity;
      if (sinceMs < cooldownMs) {
        const wait = Math.max(1, Math.ceil((cooldownMs - sinceMs) / 1000));
        throw new TooSoonError(`Your library was re-clustered moments ago: try again in ${wait} s.`, wait);
      }
    }
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
