import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WorkflowObserver } from '../clients/imageWorkflows';
import type { StoreRequest } from '../clients/storeRequests';

/**
 * The API's Prometheus metrics, in a registry of its own: HTTP latency by route and status, requests in flight, uploads and their
 * bytes, refusals by rule, workflow starts, store requests and DynamoDB units, plus Node's process metrics. Served at
 * GET /metrics.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'imagepipe_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({
    name: 'imagepipe_http_requests_in_flight',
    help: 'HTTP requests received and not yet answered or dropped',
    registers: [this.registry],
  });
  private readonly uploads = new Counter({
    name: 'imagepipe_uploads_total',
    help: 'Uploaded files accepted, by path (multipart or direct)',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  private readonly uploadBytes = new Counter({
    name: 'imagepipe_upload_bytes_total',
    help: 'Bytes of accepted uploads, by path',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'imagepipe_upload_refusals_total',
    help: 'Uploaded files refused, by the rule they broke',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  private readonly linked = new Counter({
    name: 'imagepipe_upload_duplicates_total',
    help: 'Uploaded files their owner already had, answered with that image instead of a copy, by path',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  private readonly workflowStarts = new Counter({
    name: 'imagepipe_workflow_starts_total',
    help: 'Workflows started (or joined, when already running), by type; their outcomes are on the worker metrics endpoint',
    labelNames: ['workflow'] as const,
    registers: [this.registry],
  });
  private readonly workflowQueries = new Counter({
    name: 'imagepipe_workflow_queries_total',
    help: 'Queries sent to runs, by query (each a billed action on Temporal Cloud, and a replay on a worker if the run has closed)',
    labelNames: ['query'] as const,
    registers: [this.registry],
  });
  private readonly statusWaits = new Gauge({
    name: 'imagepipe_status_waits',
    help: 'Status requests (?wait=) holding a long poll on their run until it ends, the wait is over or the client leaves',
    registers: [this.registry],
  });
  private readonly webhookEventsNotQueued = new Counter({
    name: 'imagepipe_webhook_events_not_queued_total',
    help: 'Deletes and restores made whose webhook event could not be queued then (Temporal or DynamoDB away): held for the storage sweep, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly storeRequests = new Counter({
    name: 'imagepipe_store_requests_total',
    help: 'Requests to S3 and DynamoDB by operation; refused: a conditional write or transaction its condition refused',
    labelNames: ['store', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly capacityUnits = new Counter({
    name: 'imagepipe_dynamodb_capacity_units_total',
    help: 'DynamoDB read and write units consumed, as DynamoDB reports them (a refused write: those of an item under 1 KB)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly searchesWithoutEmbedding = new Counter({
    name: 'imagepipe_search_embedding_failures_total',
    help: 'Text searches that ran on words alone because the AI provider failed to embed the query',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'imagepipe_api_' });
  }

  uploadAccepted(path: 'multipart' | 'direct', bytes: number): void {
    this.uploads.inc({ path });
    this.uploadBytes.inc({ path }, bytes);
  }

  uploadRefused(rule: string): void {
    this.refusals.inc({ rule });
  }

  uploadLinked(path: 'multipart' | 'direct'): void {
    this.linked.inc({ path });
  }

  workflowStarted(workflow: 'processImage' | 'reclusterUser'): void {
    this.workflowStarts.inc({ workflow });
  }

  /** Queries sent to runs, and status requests waiting on a run's end. */
  readonly workflowObserver: WorkflowObserver = {
    queried: (query) => this.workflowQueries.inc({ query }),
    waiting: (change) => this.statusWaits.inc(change),
  };

  /** One request to a store (see StorageClients.onRequest). */
  readonly storeRequest = (request: StoreRequest): void => {
    const { store, operation } = request;
    this.storeRequests.inc({ store, operation, outcome: request.refused ? 'refused' : 'done' });
    if (request.readUnits > 0) this.capacityUnits.inc({ kind: 'read' }, request.readUnits);
    if (request.writeUnits > 0) this.capacityUnits.inc({ kind: 'write' }, request.writeUnits);
  };

  searchWithoutEmbedding(): void {
    this.searchesWithoutEmbedding.inc();
  }

  webhookEventNotQueued(type: string): void {
    this.webhookEventsNotQueued.inc({ type });
  }

  /** Times every request, labelled by the route pattern it matched (never the raw path: ids would explode the series). */
  httpTimer(): RequestHandler {
    return (req, res, next) => {
      const end = this.httpDuration.startTimer();
      this.inFlight.inc();
      // 'close' comes once either way: answered, or the client went away half-way.
      res.once('close', () => this.inFlight.dec());
      res.once('finish', () => {
        // Express types the matched route as `any`; only its path pattern is read.
        const matched = req.route as { path: string } | undefined;
        const route = matched ? `${req.baseUrl}${matched.path}` : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
