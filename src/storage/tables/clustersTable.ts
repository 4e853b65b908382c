import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { tableKey } from './tableKey';

const KEY = tableKey('user_id', 'cluster_id');

/** One user's clusters under their partition: assignment reads them all with one paged Query. */
export function clustersTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: KEY.attributes,
    KeySchema: KEY.schema,
  };
}
