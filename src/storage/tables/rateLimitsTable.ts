import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The attribute DynamoDB's TTL reads: when an item's bucket is full again, it says nothing and may go. */
export const RATE_LIMITS_EXPIRY_ATTRIBUTE = 'expires_at';

/**
 * The rate limits' buckets, one item per limited key (`user:{uid}`, `sign-in:address:{ip}`...), shared by every API
 * process. Only a partition key: each request reads and writes its own key's item, and nothing ever lists them. The
 * items of idle keys expire (RATE_LIMITS_EXPIRY_ATTRIBUTE), so the table holds only the keys active lately.
 */
export function rateLimitsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'bucket_key', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'bucket_key', KeyType: 'HASH' }],
  };
}
