import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { tableKey } from './tableKey';

/** The attribute DynamoDB's TTL reads: a delivery log entry goes a week after its attempt. */
export const WEBHOOKS_EXPIRY_ATTRIBUTE = 'expires_at';

const KEY = tableKey('user_id', 'item_key');

/**
 * One user's webhook endpoints (`webhook#{id}`), the count of them (`#count`, which caps it in the same transaction
 * as a creation) and the endpoints' delivery logs (`delivery#{webhookId}#{time}…`, expiring), all under the user's
 * partition: every read is one Query of one prefix.
 */
export function webhooksTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: KEY.attributes,
    KeySchema: KEY.schema,
  };
}
