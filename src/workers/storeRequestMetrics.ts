import type { MetricMeter } from '@temporalio/common';
import type { StorageClients } from '../clients/storageClients';

/**
 * The worker's requests to S3 and DynamoDB, and DynamoDB's units, on its metrics endpoint beside the SDK's own (the
 * API's are on its /metrics under the same names): what each image costs in store requests. The units are a running
 * total (a gauge of fractions: an eventually consistent read is half a unit).
 */
export function exportStoreRequests(clients: Pick<StorageClients, 'onRequest'>, meter: MetricMeter): void {
  const requests = meter.createCounter(
    'imagepipe_store_requests',
    'requests',
    'Requests to S3 and DynamoDB by operation; refused: a conditional write or transaction its condition refused',
  );
  const units = meter.createGauge(
    'imagepipe_dynamodb_capacity_units',
    'float',
    'units',
    'DynamoDB read and write units consumed since the worker started (a refused write: those of an item under 1 KB)',
  );
  const total = { read: 0, write: 0 };
  clients.onRequest((request) => {
    requests.add(1, {
      store: request.store,
      operation: request.operation,
      outcome: request.refused ? 'refused' : 'done',
    });
    for (const kind of ['read', 'write'] as const) {
      const used = kind === 'read' ? request.readUnits : request.writeUnits;
      if (used === 0) continue;
      total[kind] += used;
      units.set(total[kind], { kind });
    }
  });
}
