import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** One user's clusters under their partition: assignment reads them all with one paged Query. */
export function clustersTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'cluster_id', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'cluster_id', KeyType: 'RANGE' },
    ],
  };
}
