import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';

/**
 * What images cost in the units the bill counts, read the way an operator would: the store requests and DynamoDB
 * units from the API's /metrics and the worker's metrics endpoint (before and after, per image), and the Temporal
 * Cloud billable actions from each run's history.
 */

/** Requests by `store operation` (refused ones apart), and DynamoDB's units. */
export interface StoreCounts {
  requests: Record<string, number>;
  refused: number;
  readUnits: number;
  writeUnits: number;
}

const METRIC_LINE =
  /^(imagepipe_store_requests(?:_total)?|imagepipe_dynamodb_capacity_units(?:_total)?)\{([^}]*)\} (\S+)$/;

function labelsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
}

/** The store counts of the processes whose metrics are at `urls`, added up. */
export async function storeCounts(urls: string[]): Promise<StoreCounts> {
  const counts: StoreCounts = { requests: {}, refused: 0, readUnits: 0, writeUnits: 0 };
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      const match = METRIC_LINE.exec(line);
      if (!match) continue;
      const labels = labelsOf(match[2]!);
      const value = Number(match[3]);
      if (match[1]!.startsWith('imagepipe_store_requests')) {
        const key = `${labels.store} ${labels.operation}`;
        counts.requests[key] = (counts.requests[key] ?? 0) + value;
        if (labels.outcome === 'refused') counts.refused += value;
      } else if (labels.kind === 'read') counts.readUnits += value;
      else if (labels.kind === 'write') counts.writeUnits += value;
    }
  }
  return counts;
}

/** What happened between two readings. */
export function countsSince(before: StoreCounts, after: StoreCounts): StoreCounts {
  const requests: Record<string, number> = {};
  for (const [key, value] of Object.entries(after.requests)) {
    const grown = value - (before.requests[key] ?? 0);
    if (grown > 0) requests[key] = grown;
  }
  return {
    requests,
    refused: after.refused - before.refused,
    readUnits: after.readUnits - before.readUnits,
    writeUnits: after.writeUnits - before.writeUnits,
  };
}

/** Two processes' counts together. */
export function addCounts(a: StoreCounts, b: StoreCounts): StoreCounts {
  const requests = { ...a.requests };
  for (const [key, value] of Object.entries(b.requests)) requests[key] = (requests[key] ?? 0) + value;
  return {
    requests,
    refused: a.refused + b.refused,
    readUnits: a.readUnits + b.readUnits,
    writeUnits: a.writeUnits + b.writeUnits,
  };
}

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Of an upsert, the search attributes it sets: one that only records a patch (TemporalChangeVersion) is not billed. */
const upsertedFields = (event: HistoryEvent) =>
  Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});

/**
 * Temporal Cloud's billable actions in one run's history, by kind (https://docs.temporal.io/cloud/actions): its start,
 * each activity attempt, the local activities of each workflow task as one, each timer, each search-attribute
 * upsert. Queries and activity heartbeats are billed too but leave no event: the API counts its queries.
 */
export function billableActions(events: HistoryEvent[]): Record<string, number> {
  const actions: Record<string, number> = {};
  const add = (kind: string, count = 1) => (actions[kind] = (actions[kind] ?? 0) + count);
  const markerTasks = new Set<string>();
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('workflow start');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        add('activity attempt', event.activityTaskStartedEventAttributes?.attempt ?? 1);
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        markerTasks.add(String(event.markerRecordedEventAttributes?.workflowTaskCompletedEventId));
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        add('timer');
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        if (upsertedFields(event).some((field) => field !== 'TemporalChangeVersion')) add('search-attribute upsert');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signal');
        break;
      default:
    }
  }
  if (markerTasks.size > 0) add('local-activity batch', markerTasks.size);
  return actions;
}

/** What runs' histories say: their billable actions by kind, added up, and their size on average. */
export interface RunHistories {
  actions: Record<string, number>;
  /**
   * Events and encoded bytes per run: Temporal Cloud bills the storage of histories, and a self-hosted cluster
   * writes them to its database.
   */
  perRun: { events: number; bytes: number };
}

/** Reads each run's history once, for both its actions and its size. */
export async function readRunHistories(client: Client, workflowIds: string[]): Promise<RunHistories> {
  const actions: Record<string, number> = {};
  let events = 0;
  let bytes = 0;
  await mapWithConcurrency(workflowIds, 8, async (workflowId) => {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const [kind, count] of Object.entries(billableActions(history.events ?? [])))
      actions[kind] = (actions[kind] ?? 0) + count;
    events += history.events?.length ?? 0;
    bytes += temporal.api.history.v1.History.encode(history).finish().length;
  });
  return { actions, perRun: { events: events / workflowIds.length, bytes: bytes / workflowIds.length } };
}

/** Per image, what a reader of the bill needs: one object a baseline can be kept of. */
export interface CostPerImage {
  dynamodbRequests: number;
  dynamodbWriteUnits: number;
  dynamodbReadUnits: number;
  s3Requests: number;
  temporalActions: number;
  /** By operation and by kind, for the table. */
  detail: Record<string, number>;
}

export function costPerImage(store: StoreCounts, actions: Record<string, number>, images: number): CostPerImage {
  const per = (value: number) => Number((value / images).toFixed(2));
  const sum = (prefix: string) =>
    Object.entries(store.requests)
      .filter(([key]) => key.startsWith(prefix))
      .reduce((total, [, value]) => total + value, 0);
  const detail: Record<string, number> = {};
  for (const [key, value] of Object.entries(store.requests)) detail[key] = per(value);
  for (const [kind, value] of Object.entries(actions)) detail[`temporal ${kind}`] = per(value);
  if (store.refused > 0) detail['dynamodb refused by their condition'] = per(store.refused);
  return {
    dynamodbRequests: per(sum('dynamodb ')),
    dynamodbWriteUnits: per(store.writeUnits),
    dynamodbReadUnits: per(store.readUnits),
    s3Requests: per(sum('s3 ')),
    temporalActions: per(Object.values(actions).reduce((total, value) => total + value, 0)),
    detail,
  };
}

export function describeCost(cost: CostPerImage): string {
  const details = Object.entries(cost.detail)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `  ${key.padEnd(44)} ${value.toFixed(2).padStart(7)}`);
  return [
    `per image: DynamoDB ${cost.dynamodbRequests} requests, ${cost.dynamodbWriteUnits} write units, ${cost.dynamodbReadUnits} read units; S3 ${cost.s3Requests} requests; Temporal ${cost.temporalActions} billable actions`,
    ...details,
  ].join('\n');
}
