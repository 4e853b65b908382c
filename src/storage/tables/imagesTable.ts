import type { AttributeDefinition, CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { USER_IMAGE_KEY } from './tableKey';

/** The GSI that lists one user's images newest first without a Scan. */
export const IMAGES_BY_USER_INDEX = 'by_user_created';

/**
 * The sparse GSI of images whose run is not yet known to have ended (`run_pending` set at creation, removed by the
 * run's completed or failed write): the storage sweep finds there, oldest first, an image an API process died
 * before handing to its run. Keys only: it holds a few bytes per image in flight, and nothing once they are done.
 */
export const IMAGES_RUN_PENDING_INDEX = 'by_run_pending';

/** Shards of `run_pending`, so that its GSI spreads its writes over several partitions. */
export const RUN_PENDING_SHARDS = 4;

/** Every shard of `run_pending`, as stored. */
export const RUN_PENDING_SHARD_NAMES = Array.from({ length: RUN_PENDING_SHARDS }, (_, shard) => `shard-${shard}`);

/** The `run_pending` shard of an image: from its id, so the same image always lands in the same one. */
export function runPendingShard(imageId: string): string {
  return RUN_PENDING_SHARD_NAMES[(Number.parseInt(imageId.slice(0, 2), 16) || 0) % RUN_PENDING_SHARDS]!;
}

const INDEX_ATTRIBUTES: AttributeDefinition[] = [
  { AttributeName: 'created_at', AttributeType: 'S' },
  { AttributeName: 'run_pending', AttributeType: 'S' },
];

const runPendingIndex: GlobalSecondaryIndex = {
  IndexName: IMAGES_RUN_PENDING_INDEX,
  KeySchema: [
    { AttributeName: 'run_pending', KeyType: 'HASH' },
    { AttributeName: 'created_at', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
};

/**
 * Images are keyed by owner and id, so a read of another user's image id finds nothing at all:
 * the 404 for "not yours" and "does not exist" is the same lookup.
 */
export function imagesTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...USER_IMAGE_KEY.attributes, ...INDEX_ATTRIBUTES],
    KeySchema: USER_IMAGE_KEY.schema,
    GlobalSecondaryIndexes: [
      {
        IndexName: IMAGES_BY_USER_INDEX,
        KeySchema: [
          { AttributeName: 'user_id', KeyType: 'HASH' },
          { AttributeName: 'created_at', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      runPendingIndex,
    ],
  };
}
