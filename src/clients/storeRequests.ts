import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * One request to a store, as the bill counts it: S3 charges per request, by kind; DynamoDB on demand per read and
 * write unit, which every DynamoDB request here asks to be told (`ReturnConsumedCapacity: TOTAL`).
 */
export interface StoreRequest {
  store: 'dynamodb' | 's3';
  /** The API operation: `PutObject`, `UpdateItem`, `TransactWriteItems`... */
  operation: string;
  readUnits: number;
  writeUnits: number;
  /**
   * Refused by its own condition (a conditional write, a cancelled transaction). DynamoDB bills it all the same, but
   * its answer does not say how many units: it is counted as one request, with the units of an item under 1 KB.
   */
  refused: boolean;
}

export type StoreRequestListener = (request: StoreRequest) => void;

const DYNAMODB_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const DYNAMODB_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const REFUSALS = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);

type Consumed = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;

const unitsOf = (consumed: Consumed) =>
  [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);

const operationOf = (commandName: string | undefined) => (commandName ?? 'Unknown').replace(/Command$/, '');

/**
 * Tells `listener` of every request the client makes (retries are one request to the caller, several to the bill:
 * what is counted is what the SDK's caller asked). DynamoDB's data requests ask for their consumed capacity.
 */
export function countDynamoDbRequests(client: DynamoDBClient, listener: StoreRequestListener): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const reads = DYNAMODB_READS.has(operation);
      const writes = DYNAMODB_WRITES.has(operation);
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (reads || writes) input.ReturnConsumedCapacity ??= 'TOTAL';
      try {
        const result = await next(args);
        const units = unitsOf((result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
        listener({
          store: 'dynamodb',
          operation,
          readUnits: reads ? units : 0,
          writeUnits: writes ? units : 0,
          refused: false,
        });
        return result;
      } catch (error) {
        if (REFUSALS.has((error as Error).name)) {
          listener({
            store: 'dynamodb',
            operation,
            readUnits: reads ? 1 : 0,
            writeUnits: writes ? 1 : 0,
            refused: true,
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'imagepipeStoreRequests' },
  );
}

/** Tells `listener` of every request the client makes, by operation (presigned URLs are fetched by others). */
export function countS3Requests(client: S3Client, listener: StoreRequestListener): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      try {
        return await next(args);
      } finally {
        listener({ store: 's3', operation, readUnits: 0, writeUnits: 0, refused: false });
      }
    },
    { step: 'initialize', name: 'imagepipeStoreRequests' },
  );
}
