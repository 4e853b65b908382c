import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { untilProcessed } from './untilProcessed';

// DynamoDB's limit per BatchGetItem.
const BATCH_GET_SIZE = 100;

/** Only some attributes of each item (BatchGetItem's projection). */
export interface Projection {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
}

/**
 * The items of one table at `keys` (each key once), read consistently 100 keys a request, in no particular order:
 * keys with no item are simply not among them. Keys DynamoDB leaves unprocessed are asked for again, a bounded
 * number of times; past them it throws, naming how many `items` (a plural noun) could not be read.
 */
export async function batchGetAll<T = Record<string, unknown>>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: Record<string, unknown>[],
  items: string,
  projection?: Projection,
): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_SIZE) {
    await untilProcessed(
      keys.slice(start, start + BATCH_GET_SIZE),
      async (pending) => {
        const { Responses, UnprocessedKeys } = await documents.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true, ...projection } },
          }),
        );
        found.push(...((Responses?.[tableName] ?? []) as T[]));
        return UnprocessedKeys?.[tableName]?.Keys ?? [];
      },
      (left) => `${left} ${items} could not be read.`,
    );
  }
  return found;
}
