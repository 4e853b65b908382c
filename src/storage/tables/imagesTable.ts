import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { USER_IMAGE_KEY } from './tableKey';

/** The GSI that lists one user's images newest first without a Scan. */
export const IMAGES_BY_USER_INDEX = 'by_user_created';

/**
 * Images are keyed by owner and id, so a read of another user's image id finds nothing at all:
 * the 404 for "not yours" and "does not exist" is the same lookup.
 */
export function imagesTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...USER_IMAGE_KEY.attributes, { AttributeName: 'created_at', AttributeType: 'S' }],
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
    ],
  };
}
