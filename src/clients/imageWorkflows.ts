import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  IMAGE_ID,
  progressQuery,
  processImageWorkflowId,
  purgeWorkflowIdOf,
  reclusterProgressQuery,
  reclusterUserWorkflowId,
  uploadPurgeWorkflowId,
  USER_ID,
  WORKFLOW_TYPES,
  webhookDeliveryWorkflowId,
  webhookEventSignal,
  type DeliverWebhooksInput,
  type DeliveryTiming,
  type PipelineProgress,
  type ProcessImageInput,
  type PurgeImageInput,
  type ReclusterProgress,
  type ReclusterResult,
  type ReclusterUserInput,
  type WebhookEvent,
} from '../contracts';

const START_DEADLINE_MS = 5_000;

export interface ReclusterStatus {
  workflowId: string;
  status: 'running' | 'completed' | 'failed';
  /** When it ended, if it has. */
  closedAt?: Date;
  progress?: ReclusterProgress;
  summary?: ReclusterResult;
}

export interface StartProcessing extends ProcessImageInput {
  /** Shown to operators in the run's memo. */
  filename: string;
  bytes: number;
}

/** What the owner of the client is told, for its metrics. */
export interface WorkflowObserver {
  /** A query sent to a run: each is a billed action on Temporal Cloud, and a replay on a closed run. */
  queried?(query: 'progress' | 'reclusterProgress'): void;
  /** A wait for a run's end began (+1) or ended (-1). */
  waiting?(change: 1 | -1): void;
}

/**
 * The one way services start and follow the image workflows, by their type names and the inputs of
 * src/contracts. Workflow ids are derived from the image or user id, so a second start (a retried request, a
 * double submit) finds the run that exists instead of starting another.
 */
export class ImageWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** The Temporal Web UI (TEMPORAL_UI_URL), for links operators follow to a run; none when unset. */
    private readonly uiUrl?: string,
    private readonly observer: WorkflowObserver = {},
  ) {}

  /** The image's run in the Temporal Web UI, when the UI's address is configured. */
  runUrl(imageId: string): string | undefined {
    if (!this.uiUrl) return undefined;
    const namespace = encodeURIComponent(this.client.options.namespace);
    return `${this.uiUrl.replace(/\/$/, '')}/namespaces/${namespace}/workflows/${encodeURIComponent(processImageWorkflowId(imageId))}`;
  }

  /** Throws unless Temporal answers for the service's namespace (readiness). */
  async checkNamespace(): Promise<void> {
    await this.client.workflowService.describeNamespace({ namespace: this.client.options.namespace });
  }

  async start(input: StartProcessing): Promise<string> {
    const workflowId = processImageWorkflowId(input.imageId);
    try {
      // If this fails the caller removes what it stored; a start that reached the server all the same finds the
      // image gone and ends (ImageGone), and the client's retry is a new image.
      await this.bounded(() => this.startRun(workflowId, input));
    } catch (error) {
      // The run already finished (and REJECT_DUPLICATE keeps it from running twice): it is the image's run.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return workflowId;
  }

  /**
   * Every start is bounded: with Temporal away the client would otherwise keep retrying for about 20 s before the
   * API could answer 503.
   */
  private bounded<T>(start: () => Promise<T>): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, start);
  }

  /**
   * The answer, or undefined when it does not come within `timeoutMs` (or fails): for reads that must never hang.
   * The call itself ends at the deadline, so none is left retrying in the background.
   */
  private async withinTime<T>(read: () => Promise<T>, timeoutMs: number): Promise<T | undefined> {
    try {
      return await this.client.connection.withDeadline(Date.now() + timeoutMs, read);
    } catch {
      return undefined;
    }
  }

  private async startRun(workflowId: string, input: StartProcessing): Promise<void> {
    // File name and size go to the memo, for operators; the rest is the workflow's input.
    const { filename, bytes, ...workflowInput } = input;
    const args: [ProcessImageInput] = [workflowInput];
    await this.client.workflow.start(WORKFLOW_TYPES.processImage, {
      taskQueue: this.taskQueue,
      workflowId,
      args,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: USER_ID, value: input.userId },
        { key: IMAGE_ID, value: input.imageId },
      ],
      memo: { filename, bytes },
    });
  }

  /**
   * The run's current step and timings; undefined when the run cannot be asked in time (no worker polling, or no
   * such run), so a status request never hangs on it.
   */
  async progress(imageId: string, timeoutMs = 2_000): Promise<PipelineProgress | undefined> {
    const handle = this.client.workflow.getHandle(processImageWorkflowId(imageId));
    this.observer.queried?.('progress');
    return this.withinTime(() => handle.query(progressQuery), timeoutMs);
  }

  /**
   * Resolves once the image's run has closed (however it ended, or when there is no run), or at `deadline` (epoch ms),
   * or when `signal` aborts (the client went away), whichever comes first. It waits on Temporal's long poll of the
   * run's close event: one open call while waiting, no query, nothing repeated on a timer.
   */
  async untilClosed(imageId: string, deadline: number, signal: AbortSignal): Promise<void> {
    const handle = this.client.workflow.getHandle(processImageWorkflowId(imageId));
    this.observer.waiting?.(1);
    try {
      await this.client.connection.withAbortSignal(signal, () =>
        this.client.connection.withDeadline(deadline, () => handle.result()),
      );
    } catch {
      // Failed, cancelled, missing, past the deadline or aborted: the caller reads the item either way.
    } finally {
      this.observer.waiting?.(-1);
    }
  }

  /**
   * Queues the event on the endpoint's delivery run (src/workflows/deliverWebhooks.ts), starting one if none is
   * running: signal-with-start, one atomic call. The run drops an event whose id it has seen lately, so a caller that
   * retries does no harm.
   */
  async enqueueWebhookEvent(
    userId: string,
    webhookId: string,
    event: WebhookEvent,
    timing: DeliveryTiming,
  ): Promise<void> {
    const args: [DeliverWebhooksInput] = [{ userId, webhookId, timing }];
    await this.bounded(() =>
      this.client.workflow.signalWithStart(WORKFLOW_TYPES.deliverWebhooks, {
        taskQueue: this.taskQueue,
        workflowId: webhookDeliveryWorkflowId(webhookId),
        args,
        signal: webhookEventSignal,
        signalArgs: [event],
        typedSearchAttributes: [{ key: USER_ID, value: userId }],
      }),
    );
  }

  /** Starts re-clustering the user's library, or finds the re-clustering already running for them. */
  async startRecluster(userId: string): Promise<string> {
    const workflowId = reclusterUserWorkflowId(userId);
    const args: [ReclusterUserInput] = [{ userId }];
    await this.bounded(() =>
      this.client.workflow.start(WORKFLOW_TYPES.reclusterUser, {
        taskQueue: this.taskQueue,
        workflowId,
        args,
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [{ key: USER_ID, value: userId }],
      }),
    );
    return workflowId;
  }

  /** The user's latest re-clustering: running (with its step), completed (with what it found) or failed; undefined if none. */
  async reclusterStatus(userId: string): Promise<ReclusterStatus | undefined> {
    const handle = this.client.workflow.getHandle(reclusterUserWorkflowId(userId));
    let status: string;
    let closedAt: Date | undefined;
    try {
      const description = await handle.describe();
      status = description.status.name;
      closedAt = description.closeTime;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
    if (status === 'RUNNING') {
      return {
        workflowId: handle.workflowId,
        status: 'running',
        progress: await this.withinTime(() => {
          this.observer.queried?.('reclusterProgress');
          return handle.query(reclusterProgressQuery);
        }, 2_000),
      };
    }
    if (status === 'COMPLETED') {
      return {
        workflowId: handle.workflowId,
        status: 'completed',
        closedAt,
        summary: (await handle.result()) as ReclusterResult,
      };
    }
    return { workflowId: handle.workflowId, status: 'failed', closedAt };
  }

  /**
   * Asks a running pipeline to stop (before a hard delete); nothing to do when it has ended or never began. Any other
   * failure is thrown: a run that was not told to stop may still write for an image that is gone.
   */
  async cancelProcessing(imageId: string): Promise<void> {
    await this.client.workflow
      .getHandle(processImageWorkflowId(imageId))
      .cancel()
      .catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
  }

  /**
   * Purges the image after `delayMs` (a durable timer), replacing any purge of the same kind already scheduled for it
   * (see purgeWorkflowIdOf). Returns the id of the run it started.
   */
  async schedulePurge(input: PurgeImageInput): Promise<string> {
    const args: [PurgeImageInput] = [input];
    const handle = await this.bounded(() =>
      this.client.workflow.start(WORKFLOW_TYPES.purgeImage, {
        taskQueue: this.taskQueue,
        workflowId: purgeWorkflowIdOf(input.imageId, input.when),
        args,
        workflowIdConflictPolicy: 'TERMINATE_EXISTING',
        typedSearchAttributes: [
          { key: USER_ID, value: input.userId },
          { key: IMAGE_ID, value: input.imageId },
        ],
      }),
    );
    return handle.firstExecutionRunId;
  }

  /**
   * Cancels one run of a delete's purge (the image was restored). By its run id: a purge that a later delete has
   * scheduled in its place is another run, and stays. Best effort: a purge left running finds the image restored
   * when it wakes, and leaves it alone.
   */
  async cancelPurgeRun(imageId: string, runId: string): Promise<void> {
    await this.client.workflow
      .getHandle(purgeWorkflowIdOf(imageId, 'still-deleted'), runId)
      .cancel()
      .catch(() => undefined);
  }

  /** Cancels the purge of a direct upload that has now been completed (a delete's purge is another run, and stays). */
  async cancelUploadPurge(imageId: string): Promise<void> {
    await this.client.workflow
      .getHandle(uploadPurgeWorkflowId(imageId))
      .cancel()
      .catch(() => undefined);
  }
}
