import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A table whose items DynamoDB deletes once the time (epoch seconds) in one of their attributes has passed. */
export interface TimeToLiveDefinition {
  tableName: string;
  attributeName: string;
}

/**
 * Turns the table's TTL on, on that attribute, unless it is on (or turning on) already. A table whose TTL is on for
 * another attribute is left as it is: DynamoDB refuses to switch it in one step.
 */
export async function ensureTimeToLive(
  client: DynamoDBClient,
  { tableName, attributeName }: TimeToLiveDefinition,
): Promise<void> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}
